import { App, type FormInstance } from 'antd';
import { errorMessage } from './api';

/**
 * Validates a form, runs the action with its values and reports the outcome: field errors stay
 * on the form, a core error becomes a message naming what went wrong. The action returns the
 * success message (or nothing). Resolves to true when the action succeeded.
 */
export function useSubmit() {
  const { message } = App.useApp();
  return async function submit<T>(
    form: FormInstance<T>,
    action: (values: T) => Promise<string | void>,
  ): Promise<boolean> {
    let values: T;
    try {
      values = await form.validateFields();
    } catch {
      return false;
    }
    try {
      const ok = await action(values);
      if (ok) message.success(ok);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };
}

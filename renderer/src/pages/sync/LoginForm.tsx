import { LoginOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import type { SyncStatus } from '../../../../main/core/contract/index';
import { errorMessage, useCommand } from '../../api';

interface LoginValues {
  serverUrl: string;
  token: string;
}

/**
 * Server URL + access token → sync.configure (the core checks the server's version and the
 * token before storing it). A refusal is shown in the core's own words under the form.
 */
export function LoginForm({
  initialUrl,
  submitText = '登录',
  onDone,
}: {
  initialUrl?: string | null;
  submitText?: string;
  onDone?: (s: SyncStatus) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<LoginValues>();
  const configure = useCommand('sync.configure');
  const [error, setError] = useState<string | null>(null);

  const onFinish = async (v: LoginValues) => {
    setError(null);
    try {
      const s = await configure.mutateAsync({ serverUrl: v.serverUrl.trim(), token: v.token.trim() });
      form.setFieldValue('token', '');
      message.success(s.user ? `已登录中心平台：${s.user.name}` : '已登录中心平台');
      onDone?.(s);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Form<LoginValues>
      form={form}
      name="syncLogin"
      layout="vertical"
      style={{ maxWidth: 560 }}
      initialValues={{ serverUrl: initialUrl ?? '' }}
      onFinish={(v) => void onFinish(v)}
      data-testid="sync-login-form"
      requiredMark={false}
    >
      <Form.Item
        label="中心平台地址"
        name="serverUrl"
        rules={[
          { required: true, whitespace: true, message: '请填写中心平台地址' },
          { pattern: /^\s*https?:\/\/\S+\s*$/, message: '地址应以 http:// 或 https:// 开头' },
        ]}
        extra="由中心平台管理员提供，例如 https://xypt.example.gov.cn"
      >
        <Input placeholder="https://…" autoComplete="url" maxLength={300} data-testid="sync-server-url" />
      </Form.Item>
      <Form.Item
        label="访问令牌"
        name="token"
        rules={[{ required: true, whitespace: true, message: '请填写访问令牌' }]}
        extra="管理员为你签发的令牌。令牌只保存在本机（加密或仅本人可读），不会显示在界面上。"
      >
        <Input.Password
          placeholder="粘贴访问令牌"
          autoComplete="off"
          maxLength={200}
          data-testid="sync-token"
        />
      </Form.Item>
      {error && (
        <Alert
          type="error"
          showIcon
          title="未能登录"
          description={error}
          style={{ marginBottom: 16 }}
          data-testid="sync-login-error"
        />
      )}
      <Button
        type="primary"
        htmlType="submit"
        icon={<LoginOutlined />}
        loading={configure.isPending}
        data-testid="sync-login"
      >
        {submitText}
      </Button>
    </Form>
  );
}

import { Alert, App, Form, Modal, Select } from 'antd';
import { useMemo } from 'react';
import type { Department, Task } from '../../../../main/core/contract/records';
import { useCommand } from '../../api';
import { navigate } from '../../route';
import { deptLabel } from './deptLabel';
import { filterParam } from './filter';

/**
 * 分发到多个单位: one issued copy of a one-off draft task per chosen department (tasks.dispatch).
 * The original stays 待下发 as the master copy.
 */
export function DispatchModal({
  task,
  open,
  onClose,
  departments,
}: {
  task: Task;
  open: boolean;
  onClose: () => void;
  departments: Department[];
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ deptIds: string[] }>();
  const dispatch = useCommand('tasks.dispatch');
  const chosen = Form.useWatch('deptIds', form) ?? [];
  const options = useMemo(
    () => departments.filter((d) => !d.archived).map((d) => ({ value: d.id, label: deptLabel(d) })),
    [departments],
  );

  const ok = async () => {
    let v: { deptIds: string[] };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      const r = await dispatch.mutateAsync({ id: task.id, deptIds: v.deptIds });
      const ids = r.tasks.map((t) => t.id);
      message.success({
        content: (
          <span>
            已分发到 {ids.length} 个单位并下发（{r.tasks[0]?.code} 等）。{' '}
            <a onClick={() => navigate('tasks', filterParam({ ids }))}>查看这些任务</a>
          </span>
        ),
        duration: 6,
      });
      onClose();
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Modal
      open={open}
      title="分发到多个单位"
      okText={chosen.length > 0 ? `分发并下发到 ${chosen.length} 个单位` : '分发并下发'}
      cancelText="取消"
      confirmLoading={dispatch.isPending}
      onOk={() => void ok()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="每个单位各得一份独立的任务"
        description={`系统为每个所选单位复制一份「${task.title}」（编号 ${task.code}-01、${task.code}-02……），该单位为牵头单位，并立即下发。各份任务分别签收、办理、反馈和复核，亮灯和排名也按单位分别统计。原任务 ${task.code} 保留为“待下发”的底稿，不计入督办统计。`}
      />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="deptIds"
          label="分发到的单位"
          rules={[{ required: true, message: '请至少选择一个单位' }]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={options}
            placeholder="可多选，可输入名称搜索"
            maxTagCount={12}
            data-testid="dispatch-depts"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

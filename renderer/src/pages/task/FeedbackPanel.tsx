import { SendOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Empty,
  Form,
  Input,
  Progress,
  Slider,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { Task } from '../../../../main/core/contract/records';
import { errorMessage, useCommand, useCommandQuery } from '../../api';
import { AttachmentList } from '../../components/AttachmentList';
import { uploadFile } from './upload';

const MAX_BYTES = 200 * 1024 * 1024;

interface AddValues {
  text: string;
  progress: number;
}

/** 进展反馈: the entries (newest first) and a form to add one with evidence files. */
export function FeedbackPanel({ task }: { task: Task }) {
  const { message } = App.useApp();
  const list = useCommandQuery('feedback.list', { taskId: task.id });
  const add = useCommand('feedback.add');
  const [form] = Form.useForm<AddValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [sending, setSending] = useState<{ done: number; total: number } | null>(null);

  useEffect(() => {
    form.setFieldsValue({ progress: task.progress });
  }, [form, task.progress]);

  const closedReason =
    task.kind === 'series'
      ? '周期任务本身不填报进展，请在每一期任务上填报。'
      : task.status === 'draft'
        ? '任务下发后才能填报进展。'
        : task.status === 'done'
          ? '任务已办结，不能再填报进展。'
          : null;

  const submit = async () => {
    let v: AddValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const chosen = files.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f);
    const tooBig = chosen.find((f) => f.size > MAX_BYTES);
    if (tooBig) {
      message.error(`「${tooBig.name}」有 ${(tooBig.size / 1048576).toFixed(0)} MB，超过附件上限 200 MB。`);
      return;
    }
    try {
      const total = chosen.reduce((n, f) => n + f.size, 0);
      let done = 0;
      setSending({ done: 0, total });
      const refs: { uploadId: string; name: string }[] = [];
      for (const f of chosen) {
        const base = done;
        refs.push(await uploadFile(f, (sent) => setSending({ done: base + sent, total })));
        done += f.size;
      }
      await add.mutateAsync({
        taskId: task.id,
        text: v.text.trim(),
        progress: v.progress,
        files: refs,
      });
      message.success(refs.length > 0 ? `已添加进展反馈和 ${refs.length} 个佐证文件` : '已添加进展反馈');
      form.resetFields(['text']);
      setFiles([]);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSending(null);
    }
  };

  return (
    <div data-testid="feedback-panel">
      {closedReason ? (
        <Alert type="info" showIcon title={closedReason} style={{ marginBottom: 16 }} />
      ) : (
        <div
          style={{
            border: '1px solid #e5e7eb',
            borderRadius: 8,
            padding: '12px 16px 4px',
            marginBottom: 16,
            background: '#fafbfc',
          }}
        >
          <Form<AddValues> form={form} layout="vertical" data-testid="feedback-form">
            <Form.Item
              name="text"
              label="进展情况"
              rules={[{ required: true, whitespace: true, message: '请填写反馈内容' }]}
            >
              <Input.TextArea
                autoSize={{ minRows: 3, maxRows: 8 }}
                maxLength={5000}
                placeholder="本期做了什么、完成到哪一步、遇到什么问题"
              />
            </Form.Item>
            <Form.Item name="progress" label="完成进度（%）">
              <Slider step={5} marks={{ 0: '0', 25: '25', 50: '50', 75: '75', 100: '100' }} />
            </Form.Item>
            <Form.Item label="佐证材料" extra="图片、PDF、Word、Excel 等，单个文件不超过 200 MB">
              <Upload
                multiple
                fileList={files}
                beforeUpload={() => false}
                onChange={({ fileList }) => setFiles(fileList)}
                data-testid="feedback-upload"
              >
                <Button icon={<UploadOutlined />}>选择文件</Button>
              </Upload>
            </Form.Item>
            <Form.Item>
              <Space>
                <Button
                  type="primary"
                  icon={<SendOutlined />}
                  loading={!!sending || add.isPending}
                  onClick={() => void submit()}
                  data-testid="add-feedback"
                >
                  提交反馈
                </Button>
                {sending && sending.total > 0 && (
                  <Progress
                    percent={Math.round((sending.done / sending.total) * 100)}
                    size="small"
                    style={{ width: 160 }}
                  />
                )}
              </Space>
            </Form.Item>
          </Form>
        </div>
      )}
      {list.isPending ? (
        <Spin />
      ) : list.isError ? (
        <Typography.Text type="danger">{list.error.message}</Typography.Text>
      ) : list.data.length === 0 ? (
        <Empty description="暂无进展反馈" />
      ) : (
        <div data-testid="feedback-list">
          {list.data.map((f) => (
            <div
              key={f.id}
              data-testid="feedback-entry"
              style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}
            >
              <Space size={8} wrap style={{ marginBottom: 4 }}>
                <Typography.Text strong>{f.actorName}</Typography.Text>
                <Typography.Text type="secondary">{dayjs(f.at).format('YYYY-MM-DD HH:mm')}</Typography.Text>
                {f.progress !== null && <Tag color="blue">进度 {f.progress}%</Tag>}
              </Space>
              <div style={{ whiteSpace: 'pre-wrap', marginBottom: f.attachments.length ? 6 : 0 }}>
                {f.text}
              </div>
              {f.attachments.length > 0 && <AttachmentList ownerType="feedback" ownerId={f.id} readOnly />}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

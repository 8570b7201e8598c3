import { CloudDownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import type { AppInfo, Output } from '../../../../main/core/contract/index';
import type { StaffRole } from '../../../../main/core/contract/workspace';
import { call, errorMessage, useCommand } from '../../api';
import { PathInput } from '../../components/PathInput';
import { STAFF_ROLES } from '../../labels';
import { useSyncProgress } from './kit';

type Remote = Output<'sync.remoteWorkspaces'>;

interface JoinValues {
  serverUrl: string;
  token: string;
  workspaceId?: string;
  meName?: string;
  meRole?: StaffRole;
  dir?: string;
}

/**
 * 从中心平台下载工作区: a laptop joining the team signs in with the token the administrator
 * issued, picks one of the workspaces the account belongs to, and downloads it (sync.join); the
 * workspace opens with this laptop signed in, so it syncs from then on.
 */
export function JoinCard({ info }: { info: AppInfo }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<JoinValues>();
  const [remote, setRemote] = useState<Remote | null>(null);
  const [listing, setListing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const join = useCommand('sync.join');
  const progress = useSyncProgress();

  const list = async () => {
    let v: JoinValues;
    try {
      v = await form.validateFields(['serverUrl', 'token']);
    } catch {
      return;
    }
    setError(null);
    setRemote(null);
    setListing(true);
    try {
      const r = await call('sync.remoteWorkspaces', { serverUrl: v.serverUrl.trim(), token: v.token.trim() });
      setRemote(r);
      form.setFieldsValue({
        workspaceId: r.workspaces.length === 1 ? r.workspaces[0]?.id : undefined,
        meName: form.getFieldValue('meName') || r.user.name,
        meRole: form.getFieldValue('meRole') ?? '驻场顾问',
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setListing(false);
    }
  };

  const onFinish = async (v: JoinValues) => {
    if (!v.workspaceId || !v.meName || !v.meRole) return;
    setError(null);
    try {
      const ws = await join.mutateAsync({
        serverUrl: v.serverUrl.trim(),
        token: v.token.trim(),
        workspaceId: v.workspaceId,
        me: { name: v.meName.trim(), role: v.meRole },
        dir: v.dir || undefined,
      });
      message.success(`已下载工作区「${ws.name}」`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Card title="从中心平台下载工作区" data-testid="join-card">
      <Typography.Paragraph type="secondary">
        团队已经在中心平台上有工作区时，用管理员签发的访问令牌把它下载到这台电脑，之后自动同步。
      </Typography.Paragraph>
      <Form<JoinValues>
        form={form}
        name="syncJoin"
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => void onFinish(v)}
        onValuesChange={(changed: Partial<JoinValues>) => {
          if ('serverUrl' in changed || 'token' in changed) setRemote(null);
        }}
      >
        <Form.Item
          label="中心平台地址"
          name="serverUrl"
          rules={[
            { required: true, whitespace: true, message: '请填写中心平台地址' },
            { pattern: /^\s*https?:\/\/\S+\s*$/, message: '地址应以 http:// 或 https:// 开头' },
          ]}
        >
          <Input placeholder="https://…" maxLength={300} />
        </Form.Item>
        <Form.Item
          label="访问令牌"
          name="token"
          rules={[{ required: true, whitespace: true, message: '请填写访问令牌' }]}
        >
          <Input.Password placeholder="管理员签发的访问令牌" autoComplete="off" maxLength={200} />
        </Form.Item>
        {!remote && (
          <Button
            icon={<SearchOutlined />}
            loading={listing}
            onClick={() => void list()}
            data-testid="join-list"
          >
            查看可下载的工作区
          </Button>
        )}
        {remote && remote.workspaces.length === 0 && (
          <Alert
            type="info"
            showIcon
            title={`账号「${remote.user.name}」还没有可下载的工作区`}
            description="请让中心平台管理员把你加入团队的工作区；如果工作区还没有上传，请先在创建它的电脑上登录同步一次。"
          />
        )}
        {remote && remote.workspaces.length > 0 && (
          <>
            <Typography.Paragraph>
              已验证账号：<b data-testid="join-user">{remote.user.name}</b>
            </Typography.Paragraph>
            <Form.Item
              label="工作区"
              name="workspaceId"
              rules={[{ required: true, message: '请选择要下载的工作区' }]}
            >
              <Select
                data-testid="join-workspace"
                options={remote.workspaces.map((w) => ({
                  value: w.id,
                  label: `${w.name}${w.role === 'owner' ? '（创建者）' : ''}`,
                }))}
              />
            </Form.Item>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item
                  label="我的姓名"
                  name="meName"
                  rules={[{ required: true, whitespace: true, message: '请填写您的姓名' }]}
                  extra="与团队名单中的姓名一致"
                >
                  <Input maxLength={40} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label="我的角色" name="meRole" extra="名单中没有时按此角色加入">
                  <Select options={STAFF_ROLES.map((r) => ({ value: r, label: r }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label="保存位置（可选）" name="dir" extra={`留空则保存在数据文件夹：${info.dataDir}`}>
              <PathInput
                mode="open-dir"
                placeholder="工作区文件夹路径"
                canPick={info.capabilities.pickPath}
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<CloudDownloadOutlined />}
              loading={join.isPending}
              data-testid="join-download"
            >
              下载并打开
            </Button>
            {join.isPending && progress?.state === 'running' && (
              <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                {progress.message}
              </Typography.Text>
            )}
          </>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title="未能下载"
            description={error}
            data-testid="join-error"
          />
        )}
      </Form>
    </Card>
  );
}

import {
  CloudServerOutlined,
  ExclamationCircleFilled,
  KeyOutlined,
  LogoutOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Modal,
  Progress,
  Result,
  Row,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { Output, SyncStatus, WorkspaceSummary } from '../../../main/core/contract/index';
import { ApiError, call, errorMessage, useCommand } from '../api';
import { ConflictsCard } from './sync/ConflictsCard';
import { LoginForm } from './sync/LoginForm';
import {
  pendingWords,
  relativeTime,
  useSyncProgress,
  useSyncStatus,
  useTick,
  type SyncProgress,
} from './sync/kit';
import './sync/sync.css';

type RunResult = Output<'sync.now'>;

const STATE: Record<SyncStatus['state'], { label: string; color: string }> = {
  unconfigured: { label: '未登录', color: 'default' },
  idle: { label: '在线', color: 'green' },
  syncing: { label: '正在同步', color: 'blue' },
  offline: { label: '离线', color: 'orange' },
  error: { label: '出错', color: 'red' },
};

/** What the last 立即同步 did, in one sentence. */
function runWords(r: RunResult): string {
  const parts = [`上传 ${r.pushed} 项修改`, `下载 ${r.pulled} 项修改`];
  if (r.docs) parts.push(`合并文档 ${r.docs} 篇`);
  if (r.blobsUp || r.blobsDown) parts.push(`附件上传 ${r.blobsUp} 个、下载 ${r.blobsDown} 个`);
  if (r.conflicts) parts.push(`${r.conflicts} 项冲突已按修改时间处理（见下方冲突记录）`);
  return `${parts.join('，')}。`;
}

function ProgressLine({ p }: { p: SyncProgress }) {
  const percent = p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  return (
    <div className="sync-progress" data-testid="sync-progress">
      {percent !== null ? (
        <Progress percent={percent} status="active" size="small" />
      ) : (
        <Progress percent={100} status="active" showInfo={false} size="small" />
      )}
      <Typography.Text type="secondary">{p.message}</Typography.Text>
    </div>
  );
}

function StatusCard({
  status,
  running,
  progress,
  lastRun,
  onSync,
  onCancel,
}: {
  status: SyncStatus;
  running: boolean;
  progress: SyncProgress | null;
  lastRun: RunResult | null;
  onSync: (allowMassDelete: boolean) => void;
  onCancel: () => void;
}) {
  const now = useTick();
  const s = status;
  const st =
    s.massDelete && !running ? { label: '待确认', color: 'orange' } : STATE[running ? 'syncing' : s.state];
  const pending = pendingWords(s);
  return (
    <Card
      title="同步状态"
      extra={
        <Button
          type="primary"
          icon={<SyncOutlined spin={running} />}
          loading={running}
          onClick={() => onSync(false)}
          data-testid="sync-now"
        >
          立即同步
        </Button>
      }
      data-testid="sync-status"
    >
      {s.massDelete && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="sync-mass-delete"
          title={`中心平台上的修改会删除本工作区的大部分记录（${s.massDelete.deletes} / ${s.massDelete.live} 条），同步已暂停`}
          description="这通常是其他电脑误删了数据或恢复了很旧的备份。请先与同事核实；确需删除时再继续。继续之前可以在「设置 → 备份与恢复」备份本工作区。"
          action={
            <Button danger onClick={() => onSync(true)} data-testid="sync-mass-delete-review">
              确认后继续…
            </Button>
          }
        />
      )}
      {s.error && !s.massDelete && !running && (
        <Alert
          type={s.state === 'offline' ? 'warning' : 'error'}
          showIcon
          style={{ marginBottom: 12 }}
          title={s.state === 'offline' ? '暂时连不上中心平台' : '上次同步没有完成'}
          description={s.error.message}
          data-testid="sync-error"
        />
      )}
      {lastRun && lastRun.revived > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="sync-revived"
          title={`${lastRun.revived} 条已删除的记录被恢复`}
          description="这些记录在本机删除后，其他电脑又修改了它们；为了不丢失同事的修改，记录已恢复。如确实不再需要，请再次删除。变更经过见「设置 → 操作留痕」。"
        />
      )}
      <Descriptions column={1} size="small" className="sync-desc">
        <Descriptions.Item label="状态">
          <Tag color={st.color} data-testid="sync-state">
            {st.label}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="上次同步">
          <span data-testid="sync-last">
            {s.lastSyncAt ? (
              <>
                {relativeTime(s.lastSyncAt, now)}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {dayjs(s.lastSyncAt).format('YYYY-MM-DD HH:mm:ss')}
                </Typography.Text>
              </>
            ) : (
              '尚未同步'
            )}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="待上传">
          <span data-testid="sync-pending">{pending || '没有，本机修改都已上传'}</span>
        </Descriptions.Item>
      </Descriptions>
      {running && progress?.state === 'running' && (
        <div className="sync-running">
          <ProgressLine p={progress} />
          <Button size="small" onClick={onCancel} data-testid="sync-cancel">
            取消
          </Button>
        </div>
      )}
      {lastRun && !running && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          title="同步完成"
          description={runWords(lastRun)}
          data-testid="sync-result"
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        修改先保存在本机；联网时自动同步（每隔几分钟，以及修改之后），也可以随时点「立即同步」。断网时照常工作，联网后自动补传。
      </Typography.Paragraph>
    </Card>
  );
}

function AccountCard({ status, workspace }: { status: SyncStatus; workspace: WorkspaceSummary }) {
  const { message, modal } = App.useApp();
  const logout = useCommand('sync.logout');
  const [relogin, setRelogin] = useState(false);

  const doLogout = () =>
    modal.confirm({
      title: '退出中心平台登录？',
      content:
        '退出后本机不再同步，删除保存的访问令牌。本机数据不受影响；尚未上传的修改会保留，重新登录后再上传。',
      okText: '退出登录',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await logout.mutateAsync({});
          message.success('已退出登录，本机不再同步');
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  return (
    <Card title="中心平台账号" data-testid="sync-account">
      <Descriptions column={1} size="small" className="sync-desc">
        <Descriptions.Item label="中心平台">
          <Typography.Text copyable={!!status.serverUrl}>{status.serverUrl ?? '—'}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="登录用户">
          <span data-testid="sync-user">{status.user?.name ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label="工作区">{workspace.name}</Descriptions.Item>
      </Descriptions>
      <Space style={{ marginTop: 12 }}>
        <Button icon={<KeyOutlined />} onClick={() => setRelogin(true)}>
          更换令牌
        </Button>
        <Button
          icon={<LogoutOutlined />}
          onClick={doLogout}
          loading={logout.isPending}
          data-testid="sync-logout"
        >
          退出登录
        </Button>
      </Space>
      <Modal
        open={relogin}
        title="重新登录中心平台"
        footer={null}
        onCancel={() => setRelogin(false)}
        destroyOnHidden
      >
        <LoginForm initialUrl={status.serverUrl} submitText="保存并登录" onDone={() => setRelogin(false)} />
      </Modal>
    </Card>
  );
}

/**
 * 同步: sign in to the central platform, sync now (with progress), the state (last sync, pending
 * work, the last error with what to do), a confirmation before a pull deletes most of the
 * workspace, notice of records brought back by others' edits, the conflicts, sign out.
 */
export function SyncPage({ workspace }: { workspace: WorkspaceSummary }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const status = useSyncStatus();
  const progress = useSyncProgress();
  const [running, setRunning] = useState(false);
  const [lastRun, setLastRun] = useState<RunResult | null>(null);

  const confirmMassDelete = (md: NonNullable<SyncStatus['massDelete']>) =>
    modal.confirm({
      title: '确认删除本工作区的大部分记录？',
      icon: <ExclamationCircleFilled style={{ color: '#d64541' }} />,
      width: 520,
      content: (
        <div data-testid="sync-mass-delete-dialog">
          <p>
            中心平台上的修改会删除本机 <b>{md.live}</b> 条记录中的 <b>{md.deletes}</b> 条。
          </p>
          <p>
            如果这是同事有意为之（例如清理了一批作废的任务），可以继续；如果不确定，请先取消，与同事核实，并在「设置
            → 备份与恢复」备份本工作区。删除的记录仍保留在操作留痕中。
          </p>
        </div>
      ),
      okText: `删除 ${md.deletes} 条并继续同步`,
      okButtonProps: { danger: true },
      cancelText: '取消，暂不同步',
      onOk: () => run(true),
    });

  const run = async (allowMassDelete: boolean): Promise<void> => {
    setRunning(true);
    try {
      const r = await call('sync.now', { allowMassDelete });
      setLastRun(r);
      qc.setQueryData(['sync.status', {}], r.status);
      void qc.invalidateQueries();
      if (r.status.error) message.warning(r.status.error.message);
      else message.success('同步完成');
    } catch (e) {
      setLastRun(null);
      // a pull that would delete most of the workspace stopped before writing: ask, never silently
      let fresh: SyncStatus | null = null;
      try {
        fresh = await call('sync.status', {});
        qc.setQueryData(['sync.status', {}], fresh);
      } catch {
        // the status stays as it was; the message below says what failed
      }
      if (fresh?.massDelete) confirmMassDelete(fresh.massDelete);
      else if (e instanceof ApiError && e.code === 'CANCELLED') message.info(e.message);
      else message.error(errorMessage(e));
      void qc.invalidateQueries({ queryKey: ['sync.status'] });
    } finally {
      setRunning(false);
    }
  };

  const onSync = (allowMassDelete: boolean) => {
    const md = status.data?.massDelete;
    if (allowMassDelete && md) confirmMassDelete(md);
    else void run(false);
  };

  let body;
  if (status.isPending) body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (status.isError)
    body = (
      <Result
        status="warning"
        title="同步状态暂时无法读取"
        subTitle={status.error.message}
        extra={<Button onClick={() => void status.refetch()}>重试</Button>}
      />
    );
  else if (status.data.state === 'unconfigured')
    body = (
      <Card title="登录中心平台" data-testid="sync-login-card">
        <div className="sync-login">
          <CloudServerOutlined className="sync-login-icon" />
          <div style={{ flex: 1 }}>
            <Typography.Paragraph>
              登录后，本工作区「{workspace.name}
              」的任务、指标、材料和附件会与中心平台同步，驻场团队的几台电脑保持一致。
              没有网络时照常工作，联网后自动补传。
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">
              中心平台地址和访问令牌请向中心平台管理员索取。
            </Typography.Paragraph>
            <LoginForm />
          </div>
        </div>
      </Card>
    );
  else
    body = (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Row gutter={16}>
          <Col xs={24} xl={14}>
            <StatusCard
              status={status.data}
              running={running || status.data.state === 'syncing'}
              progress={progress}
              lastRun={lastRun}
              onSync={onSync}
              onCancel={() => void call('sync.cancel', {})}
            />
          </Col>
          <Col xs={24} xl={10}>
            <AccountCard status={status.data} workspace={workspace} />
          </Col>
        </Row>
        <ConflictsCard />
      </Space>
    );

  return (
    <div className="page sync-page" data-testid="sync-page">
      <div className="page-header">
        <div>
          <h2>同步</h2>
          <div className="page-sub">
            与中心平台同步：几台电脑的修改逐项合并，文档自动合并，附件按需下载，全程留痕
          </div>
        </div>
      </div>
      {body}
    </div>
  );
}

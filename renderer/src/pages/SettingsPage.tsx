import {
  CheckCircleTwoTone,
  CloudDownloadOutlined,
  CloudSyncOutlined,
  LogoutOutlined,
  PlusOutlined,
  SaveOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { AppInfo, EventPayload } from '../../../main/core/contract/index';
import type { AuditEntry } from '../../../main/core/contract/records';
import type { Staff, StaffRole, WorkspaceSummary } from '../../../main/core/contract/workspace';
import { STAFF_ROLES } from '../labels';
import { errorMessage, useCommand, useCommandQuery } from '../api';
import { formatAuditValue } from '../components/AuditTimeline';
import { PathInput } from '../components/PathInput';
import { useSubmit } from '../forms';
import { navigate } from '../route';

interface SettingsForm {
  name: string;
  city: string;
  adminCode: string;
  campaignName: string;
  period: [Dayjs, Dayjs];
  rankingTarget: number;
  indicatorVersion: string;
}

function WorkspaceSettingsTab() {
  const { message } = App.useApp();
  const settings = useCommandQuery('workspace.settings', {});
  const save = useCommand('workspace.updateSettings');
  const [form] = Form.useForm<SettingsForm>();

  useEffect(() => {
    const s = settings.data;
    if (!s) return;
    form.setFieldsValue({
      name: s.name,
      city: s.city,
      adminCode: s.adminCode,
      campaignName: s.campaignName,
      period: [dayjs(s.periodStart), dayjs(s.periodEnd)],
      rankingTarget: s.rankingTarget,
      indicatorVersion: s.indicatorVersion,
    });
  }, [settings.data, form]);

  const onFinish = async (v: SettingsForm) => {
    try {
      await save.mutateAsync({
        name: v.name,
        city: v.city,
        adminCode: v.adminCode,
        campaignName: v.campaignName,
        periodStart: v.period[0].format('YYYY-MM-DD'),
        periodEnd: v.period[1].format('YYYY-MM-DD'),
        rankingTarget: v.rankingTarget,
        indicatorVersion: v.indicatorVersion,
      });
      message.success('工作区设置已保存');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card>
      <Form<SettingsForm>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        onFinish={(v) => void onFinish(v)}
        data-testid="settings-form"
      >
        <Form.Item
          label="工作区名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写工作区名称' }]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} align="start">
          <Form.Item
            label="城市"
            name="city"
            rules={[{ required: true, whitespace: true, message: '请填写城市' }]}
            style={{ width: 240 }}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            label="行政区划代码"
            name="adminCode"
            rules={[{ required: true, pattern: /^\d{6}$/, message: '应为 6 位数字（GB/T 2260）' }]}
            style={{ width: 200 }}
          >
            <Input maxLength={6} />
          </Form.Item>
        </Space>
        <Form.Item
          label="创建活动名称"
          name="campaignName"
          rules={[{ required: true, whitespace: true, message: '请填写创建活动名称' }]}
        >
          <Input maxLength={120} />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} align="start">
          <Form.Item label="创建周期" name="period" rules={[{ required: true, message: '请选择创建周期' }]}>
            <DatePicker.RangePicker allowClear={false} />
          </Form.Item>
          <Form.Item
            label="监测排名目标（前 N 名）"
            name="rankingTarget"
            rules={[{ required: true, message: '请填写排名目标' }]}
            style={{ width: 200 }}
          >
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            label="指标体系版本"
            name="indicatorVersion"
            rules={[{ required: true, message: '请填写版本' }]}
            style={{ width: 160 }}
          >
            <Select options={['2021', '2022', '2025'].map((v) => ({ value: v, label: `${v} 版` }))} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
          保存设置
        </Button>
      </Form>
    </Card>
  );
}

interface StaffForm {
  name: string;
  role: StaffRole;
  phone?: string;
  email?: string;
  active: boolean;
}

function StaffTab() {
  const { message } = App.useApp();
  const list = useCommandQuery('staff.list', {});
  const create = useCommand('staff.create');
  const update = useCommand('staff.update');
  const setMe = useCommand('staff.setMe');
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  const [form] = Form.useForm<StaffForm>();

  useEffect(() => {
    if (!editing) return;
    form.resetFields();
    if (editing === 'new') form.setFieldsValue({ role: '驻场顾问', active: true });
    else
      form.setFieldsValue({
        ...editing,
        phone: editing.phone ?? undefined,
        email: editing.email ?? undefined,
      });
  }, [editing, form]);

  const submit = useSubmit();
  const save = () =>
    submit(form, async (v) => {
      const body = {
        name: v.name,
        role: v.role,
        phone: v.phone ?? null,
        email: v.email ?? null,
        active: v.active,
      };
      if (editing === 'new') await create.mutateAsync(body);
      else if (editing) await update.mutateAsync({ id: editing.id, patch: body });
      setEditing(null);
      return '已保存';
    });

  const meId = list.data?.meId;
  return (
    <Card
      title="驻场团队"
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          添加成员
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        “本机使用者”决定这台电脑上所有修改记在谁的名下（操作留痕）。每台电脑各自设置，不随同步改变。
      </Typography.Paragraph>
      <Table<Staff>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data?.staff ?? []}
        columns={[
          {
            title: '姓名',
            dataIndex: 'name',
            render: (v: string, s) => (
              <Space>
                {v}
                {s.id === meId && <Tag color="blue">本机使用者</Tag>}
                {!s.active && <Tag>不在岗</Tag>}
              </Space>
            ),
          },
          { title: '角色', dataIndex: 'role', width: 120 },
          { title: '电话', dataIndex: 'phone', width: 140, render: (v: string | null) => v ?? '—' },
          { title: '邮箱', dataIndex: 'email', width: 200, render: (v: string | null) => v ?? '—' },
          {
            title: '操作',
            key: 'ops',
            width: 200,
            render: (_: unknown, s) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(s)}>
                  编辑
                </Button>
                {s.id !== meId && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() =>
                      setMe.mutate(
                        { id: s.id },
                        {
                          onSuccess: () => message.success(`本机使用者已设为 ${s.name}`),
                          onError: (e) => message.error(e.message),
                        },
                      )
                    }
                  >
                    设为本机使用者
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? '添加驻场成员' : '编辑驻场成员'}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText="保存"
        cancelText="取消"
        destroyOnHidden
      >
        <Form<StaffForm> form={form} layout="vertical">
          <Form.Item
            label="姓名"
            name="name"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item label="角色" name="role">
            <Select options={STAFF_ROLES.map((r) => ({ value: r, label: r }))} />
          </Form.Item>
          <Form.Item label="电话" name="phone">
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item label="邮箱" name="email" rules={[{ type: 'email', message: '邮箱格式不正确' }]}>
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item label="在岗" name="active" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function useJobProgress(kind: string): EventPayload<'job.progress'> | null {
  const [p, setP] = useState<EventPayload<'job.progress'> | null>(null);
  useEffect(() => window.app.on('job.progress', (e) => e.kind === kind && setP(e)), [kind]);
  return p;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

function BackupTab({ info, workspace }: { info: AppInfo; workspace: WorkspaceSummary }) {
  const { message, modal } = App.useApp();
  const backup = useCommand('workspace.backup');
  const restore = useCommand('workspace.restore');
  const [backupFile, setBackupFile] = useState('');
  const [restoreFile, setRestoreFile] = useState('');
  const backupProgress = useJobProgress('backup');
  const restoreProgress = useJobProgress('restore');

  const doBackup = async () => {
    try {
      const r = await backup.mutateAsync({ file: backupFile || undefined });
      message.success(`备份完成：${r.file}（${formatBytes(r.bytes)}）`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const doRestore = () => {
    modal.confirm({
      title: '用备份替换当前工作区？',
      content: `「${workspace.name}」的当前内容会被备份中的内容替换。替换前的数据会保留在工作区文件夹的 .pre-restore-* 子文件夹中。`,
      okText: '恢复',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          const s = await restore.mutateAsync({ file: restoreFile });
          message.success(`已从备份恢复：${s.name}`);
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="备份">
        <Typography.Paragraph type="secondary">
          把整个工作区（数据库和全部附件）保存为一个 .cwbak 文件，可复制到 U
          盘或其他电脑。留空路径则保存到数据文件夹的 backups 目录。
        </Typography.Paragraph>
        <Space.Compact style={{ width: '100%', maxWidth: 720 }}>
          <PathInput
            mode="save-file"
            value={backupFile}
            onChange={setBackupFile}
            placeholder={`${info.dataDir}/backups/工作区名-时间.cwbak`}
            canPick={info.capabilities.pickPath}
            filters={[{ name: '工作台备份', extensions: ['cwbak'] }]}
          />
          <Button
            type="primary"
            icon={<CloudDownloadOutlined />}
            loading={backup.isPending}
            onClick={() => void doBackup()}
            data-testid="do-backup"
          >
            立即备份
          </Button>
        </Space.Compact>
        {backup.isPending && backupProgress?.state === 'running' && backupProgress.total && (
          <Progress
            percent={Math.round((backupProgress.done / backupProgress.total) * 100)}
            status="active"
            style={{ maxWidth: 720 }}
          />
        )}
        {backup.data && (
          <Alert
            style={{ marginTop: 12, maxWidth: 720 }}
            type="success"
            showIcon
            icon={<CheckCircleTwoTone twoToneColor="#2e9d5b" />}
            title="最近一次备份"
            description={`${backup.data.file} · ${formatBytes(backup.data.bytes)} · 附件 ${backup.data.blobs} 个 · ${dayjs(backup.data.createdAt).format('YYYY-MM-DD HH:mm:ss')}`}
          />
        )}
      </Card>
      <Card title="从备份恢复">
        <Typography.Paragraph type="secondary">
          用备份文件替换当前工作区的内容。恢复前会校验备份是否完整；文件损坏或不是本工作台的备份时不会做任何改动。
        </Typography.Paragraph>
        <Space.Compact style={{ width: '100%', maxWidth: 720 }}>
          <PathInput
            mode="open-file"
            value={restoreFile}
            onChange={setRestoreFile}
            placeholder="备份文件路径（.cwbak）"
            canPick={info.capabilities.pickPath}
            filters={[{ name: '工作台备份', extensions: ['cwbak'] }]}
          />
          <Button
            danger
            icon={<UploadOutlined />}
            disabled={!restoreFile}
            loading={restore.isPending}
            onClick={doRestore}
            data-testid="do-restore"
          >
            恢复
          </Button>
        </Space.Compact>
        {restore.isPending && restoreProgress?.state === 'running' && restoreProgress.total && (
          <Progress
            percent={Math.round((restoreProgress.done / restoreProgress.total) * 100)}
            status="active"
            style={{ maxWidth: 720 }}
          />
        )}
      </Card>
    </Space>
  );
}

interface LightRulesForm {
  yellowDays: number;
  staleDays: number;
}

/** 亮灯规则: the two numbers of main/core/tasks/lights.ts, and the rule in words. */
function LightRulesTab() {
  const { message } = App.useApp();
  const rules = useCommandQuery('lights.rules', {});
  const save = useCommand('lights.updateRules');
  const [form] = Form.useForm<LightRulesForm>();
  const yellow = Form.useWatch('yellowDays', form) ?? rules.data?.yellowDays ?? 3;
  const stale = Form.useWatch('staleDays', form) ?? rules.data?.staleDays ?? 14;

  useEffect(() => {
    if (rules.data) form.setFieldsValue(rules.data);
  }, [rules.data, form]);

  const onFinish = async (v: LightRulesForm) => {
    try {
      await save.mutateAsync({ yellowDays: v.yellowDays, staleDays: v.staleDays });
      message.success('亮灯规则已保存，所有任务列表、驾驶舱和报告即时按新规则亮灯');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const dot = (color: string) => (
    <span
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        borderRadius: '50%',
        background: color,
        marginInlineEnd: 6,
        verticalAlign: 'baseline',
      }}
    />
  );

  return (
    <Card title="亮灯规则">
      {rules.isError && (
        <Alert type="error" showIcon title={rules.error.message} style={{ marginBottom: 12 }} />
      )}
      <Form<LightRulesForm>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        onFinish={(v) => void onFinish(v)}
        data-testid="light-rules-form"
      >
        <Space size={24} style={{ display: 'flex' }} align="start" wrap>
          <Form.Item
            label="黄灯：到期前 N 天内"
            name="yellowDays"
            rules={[{ required: true, message: '请填写天数' }]}
            extra="0 表示只有到期当天亮黄灯"
          >
            <InputNumber min={0} max={60} precision={0} addonAfter="天" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            label="红灯：逾期，或连续 N 天无进展反馈"
            name="staleDays"
            rules={[{ required: true, message: '请填写天数' }]}
          >
            <InputNumber min={1} max={365} precision={0} addonAfter="天" style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <div
          style={{
            background: '#f7f9fc',
            borderRadius: 8,
            padding: '12px 16px',
            marginBottom: 16,
            lineHeight: 1.9,
          }}
          data-testid="light-rules-text"
        >
          <div>每项已下发、未办结的任务按以下顺序判断，先符合哪条就亮哪种灯：</div>
          <div>
            {dot('#d64541')}
            <b>红灯</b>：截止日期已过（逾期）；或者连续 {stale}{' '}
            天没有任何动静——从最近一次下发、签收、办理、反馈、复核、退回、填报进展反馈或上传证据材料算起，满{' '}
            {stale} 天即亮红灯。“待复核”的任务不因此亮红灯（单位已经反馈，等的是复核）。
          </div>
          <div>
            {dot('#e0a800')}
            <b>黄灯</b>：未逾期，截止日期在今天起 {yellow} 天之内（含到期当天）。
          </div>
          <div>
            {dot('#2e9d5b')}
            <b>绿灯</b>：其余正常推进的任务（包括没有截止日期且近期有进展的任务）。
          </div>
          <div style={{ color: '#6b7280' }}>
            “待下发”的任务和周期任务本身不亮灯；办结的任务显示“已办结”。“今天”按本机日期计算。所有任务列表、部门排行、驾驶舱和调度报告使用同一套规则。
          </div>
        </div>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
          保存规则
        </Button>
      </Form>
    </Card>
  );
}

function AuditTab() {
  const q = useCommandQuery('audit.list', { limit: 500 });
  return (
    <Card title="操作留痕（最近 500 条）">
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={q.isPending}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          {
            title: '时间',
            dataIndex: 'at',
            width: 170,
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
          },
          { title: '操作人', dataIndex: 'actorName', width: 100 },
          { title: '对象', dataIndex: 'entityLabel', width: 110 },
          {
            title: '动作',
            dataIndex: 'op',
            width: 80,
            render: (op: AuditEntry['op']) =>
              ({ create: '新建', update: '修改', delete: '删除', restore: '恢复' })[op],
          },
          { title: '字段', dataIndex: 'fieldLabel', width: 120 },
          {
            title: '内容',
            key: 'change',
            ellipsis: true,
            render: (_: unknown, e) =>
              e.op === 'create'
                ? formatAuditValue(e, e.newValue)
                : `${formatAuditValue(e, e.oldValue)} → ${formatAuditValue(e, e.newValue)}`,
          },
        ]}
      />
    </Card>
  );
}

/** 同步: where the sign-in lives (the 同步 page), with the state in one line. */
function SyncTab() {
  const status = useCommandQuery('sync.status', {});
  const s = status.data;
  return (
    <Card title="与中心平台同步" data-testid="settings-sync">
      <Typography.Paragraph type="secondary">
        登录中心平台后，本工作区的修改自动与团队其他电脑同步。登录、立即同步、同步状态和冲突记录都在「同步」页。
      </Typography.Paragraph>
      {status.isError && (
        <Alert type="warning" showIcon title={status.error.message} style={{ marginBottom: 12 }} />
      )}
      {s && (
        <Descriptions size="small" column={1} style={{ maxWidth: 720, marginBottom: 12 }}>
          <Descriptions.Item label="中心平台">{s.serverUrl ?? '尚未登录'}</Descriptions.Item>
          {s.user && <Descriptions.Item label="登录用户">{s.user.name}</Descriptions.Item>}
          {s.lastSyncAt && (
            <Descriptions.Item label="上次同步">
              {dayjs(s.lastSyncAt).format('YYYY-MM-DD HH:mm:ss')}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      <Button type="primary" icon={<CloudSyncOutlined />} onClick={() => navigate('sync')}>
        {s?.state === 'unconfigured' ? '前往「同步」页登录' : '打开「同步」页'}
      </Button>
    </Card>
  );
}

export function SettingsPage({ info, workspace }: { info: AppInfo; workspace: WorkspaceSummary }) {
  const close = useCommand('workspace.close');
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>设置</h2>
          <div className="page-sub">工作区设置、驻场团队、亮灯规则、备份恢复、同步与操作留痕</div>
        </div>
        <Button icon={<LogoutOutlined />} onClick={() => close.mutate({})}>
          关闭工作区
        </Button>
      </div>
      <Card size="small">
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="工作区文件夹">
            <Typography.Text copyable>{workspace.dir}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="数据库版本">{workspace.schemaVersion}</Descriptions.Item>
          <Descriptions.Item label="程序版本">{info.version}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Tabs
        items={[
          { key: 'ws', label: '工作区', children: <WorkspaceSettingsTab /> },
          { key: 'staff', label: '驻场团队', children: <StaffTab /> },
          { key: 'lights', label: '亮灯规则', children: <LightRulesTab /> },
          { key: 'backup', label: '备份与恢复', children: <BackupTab info={info} workspace={workspace} /> },
          { key: 'sync', label: '同步', children: <SyncTab /> },
          { key: 'audit', label: '操作留痕', children: <AuditTab /> },
        ]}
      />
    </div>
  );
}

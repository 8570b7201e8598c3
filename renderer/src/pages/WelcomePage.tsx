import { DeleteOutlined, FolderOpenOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../main/core/contract/index';
import type { StaffRole } from '../../../main/core/contract/workspace';
import { STAFF_ROLES } from '../labels';
import { errorMessage, useCommand, useCommandQuery } from '../api';
import { PathInput } from '../components/PathInput';
import { JoinCard } from './sync/JoinCard';

interface CreateForm {
  templateId: string | null;
  name: string;
  startMonth: Dayjs;
  meName: string;
  meRole: StaffRole;
  colleagues?: { name: string; role: StaffRole }[];
  city?: string;
  adminCode?: string;
  dir?: string;
}

export function WelcomePage({ info }: { info: AppInfo }) {
  const { message } = App.useApp();
  const templates = useCommandQuery('workspace.templates', {});
  const recent = useCommandQuery('workspace.recent', {});
  const [form] = Form.useForm<CreateForm>();
  const create = useCommand('workspace.create');
  const open = useCommand('workspace.open');
  const importBackup = useCommand('workspace.importBackup');
  const forget = useCommand('workspace.forget');
  const [openDir, setOpenDir] = useState('');
  const [backupFile, setBackupFile] = useState('');
  const templateId = Form.useWatch('templateId', form);

  const first = templates.data?.find((t) => !t.error);
  useEffect(() => {
    if (first && !form.getFieldValue('templateId')) {
      form.setFieldsValue({ templateId: first.id, name: first.name });
    }
  }, [first, form]);

  const onCreate = async (v: CreateForm) => {
    try {
      await create.mutateAsync({
        name: v.name,
        templateId: v.templateId,
        startMonth: v.startMonth.format('YYYY-MM'),
        me: { name: v.meName, role: v.meRole },
        colleagues: (v.colleagues ?? []).filter((c) => c?.name),
        city: v.city || undefined,
        adminCode: v.adminCode || undefined,
        dir: v.dir || undefined,
      });
      message.success('工作区已创建');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const onOpen = async (dir: string) => {
    try {
      await open.mutateAsync({ dir });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const onImport = async () => {
    try {
      await importBackup.mutateAsync({ file: backupFile });
      message.success('已从备份恢复为新的工作区');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const templateOptions = [
    ...(templates.data ?? []).map((t) => ({
      value: t.id,
      label: t.error ? `${t.name}（不可用：${t.error}）` : t.name,
      disabled: !!t.error,
    })),
    { value: '__blank__', label: '空白工作区（不带模板内容）' },
  ];

  return (
    <div className="welcome">
      <h1>信用创建工作台</h1>
      <div className="lead">
        驻场团队的社会信用体系建设示范区创建工作台：任务督办、指标、数据合规、材料与报告，离线可用。
      </div>
      {info.lastError && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={info.lastError} />
      )}
      <Row gutter={20}>
        <Col xs={24} lg={14}>
          <Card title="新建工作区" data-testid="create-workspace-form">
            <Form<CreateForm>
              form={form}
              layout="vertical"

              initialValues={{ startMonth: dayjs().startOf('month'), meRole: '项目负责人', colleagues: [] }}
              onFinish={(v) =>
                void onCreate({ ...v, templateId: v.templateId === '__blank__' ? null : v.templateId })
              }
            >
              <Row gutter={12}>
                <Col span={14}>
                  <Form.Item
                    label="模板"
                    name="templateId"
                    rules={[{ required: true, message: '请选择模板' }]}
                  >
                    <Select
                      options={templateOptions}
                      loading={templates.isPending}
                      onChange={(v: string) => {
                        const t = templates.data?.find((x) => x.id === v);
                        if (t) form.setFieldValue('name', t.name);
                      }}
                    />
                  </Form.Item>
                </Col>
                <Col span={10}>
                  <Form.Item
                    label="创建开始月份"
                    name="startMonth"
                    rules={[{ required: true, message: '请选择开始月份' }]}
                  >
                    <DatePicker picker="month" style={{ width: '100%' }} allowClear={false} />
                  </Form.Item>
                </Col>
              </Row>
              {templateId && templateId !== '__blank__' && (
                <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
                  {templates.data?.find((t) => t.id === templateId)?.description}{' '}
                  {(() => {
                    const t = templates.data?.find((x) => x.id === templateId);
                    return t ? (
                      <Space size={4}>
                        <Tag>{t.counts.departments} 个单位</Tag>
                        <Tag>{t.counts.indicators} 项指标</Tag>
                        <Tag>{t.counts.tasks} 项任务</Tag>
                      </Space>
                    ) : null;
                  })()}
                </Typography.Paragraph>
              )}
              <Form.Item
                label="工作区名称"
                name="name"
                rules={[{ required: true, whitespace: true, message: '请填写工作区名称' }]}
              >
                <Input maxLength={80} placeholder="例如：琼海市示范区创建（2027）" />
              </Form.Item>
              {templateId === '__blank__' && (
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item label="城市" name="city" rules={[{ required: true, message: '请填写城市' }]}>
                      <Input placeholder="例如：某某市" />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item
                      label="行政区划代码"
                      name="adminCode"
                      rules={[{ pattern: /^\d{6}$/, message: '应为 6 位数字' }]}
                    >
                      <Input placeholder="6 位数字，例如 469002" />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item
                    label="我的姓名"
                    name="meName"
                    rules={[{ required: true, whitespace: true, message: '请填写您的姓名' }]}
                  >
                    <Input maxLength={40} placeholder="本机使用者" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="我的角色" name="meRole" rules={[{ required: true }]}>
                    <Select options={STAFF_ROLES.map((r) => ({ value: r, label: r }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.List name="colleagues">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <Row gutter={12} key={f.key}>
                        <Col span={12}>
                          <Form.Item
                            name={[f.name, 'name']}
                            rules={[{ required: true, message: '请填写同事姓名' }]}
                          >
                            <Input placeholder="同事姓名" maxLength={40} />
                          </Form.Item>
                        </Col>
                        <Col span={10}>
                          <Form.Item name={[f.name, 'role']} initialValue="驻场顾问">
                            <Select options={STAFF_ROLES.map((r) => ({ value: r, label: r }))} />
                          </Form.Item>
                        </Col>
                        <Col span={2}>
                          <Button
                            icon={<DeleteOutlined />}
                            onClick={() => remove(f.name)}
                            aria-label="删除同事"
                          />
                        </Col>
                      </Row>
                    ))}
                    <Button
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add()}
                      style={{ marginBottom: 16 }}
                    >
                      添加驻场同事
                    </Button>
                  </>
                )}
              </Form.List>
              <Form.Item
                label="保存位置（可选）"
                name="dir"
                extra={`留空则保存在数据文件夹：${info.dataDir}`}
              >
                <PathInput
                  mode="open-dir"
                  placeholder="工作区文件夹路径"
                  canPick={info.capabilities.pickPath}
                />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                size="large"
                loading={create.isPending}
                icon={<PlusOutlined />}
              >
                {templateId === '__blank__' ? '创建空白工作区' : '从模板创建'}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size={20} style={{ width: '100%' }}>
            <Card title="最近使用">
              {recent.data && recent.data.length > 0 ? (
                <List
                  dataSource={recent.data}
                  renderItem={(r) => (
                    <List.Item
                      actions={[
                        <Button
                          key="open"
                          type="link"
                          disabled={!r.exists}
                          loading={open.isPending && open.variables?.dir === r.dir}
                          onClick={() => void onOpen(r.dir)}
                        >
                          打开
                        </Button>,
                        <Button
                          key="forget"
                          type="link"
                          danger
                          onClick={() => forget.mutate({ dir: r.dir })}
                          title="从列表移除（不删除文件）"
                        >
                          移除
                        </Button>,
                      ]}
                    >
                      <List.Item.Meta
                        title={
                          <Space>
                            {r.name}
                            {r.city && <Tag>{r.city}</Tag>}
                            {!r.exists && <Tag color="red">文件夹不存在</Tag>}
                          </Space>
                        }
                        description={
                          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360 }}>
                            {dayjs(r.openedAt).format('YYYY-MM-DD HH:mm')} · {r.dir}
                          </Typography.Text>
                        }
                      />
                    </List.Item>
                  )}
                />
              ) : (
                <Empty description="还没有使用过的工作区" />
              )}
            </Card>
            <JoinCard info={info} />
            <Card title="打开已有工作区">
              <Space.Compact style={{ width: '100%' }}>
                <PathInput
                  mode="open-dir"
                  value={openDir}
                  onChange={setOpenDir}
                  placeholder="工作区文件夹（含 workspace.sqlite）"
                  canPick={info.capabilities.pickPath}
                />
                <Button
                  icon={<FolderOpenOutlined />}
                  disabled={!openDir}
                  onClick={() => void onOpen(openDir)}
                  loading={open.isPending}
                >
                  打开
                </Button>
              </Space.Compact>
            </Card>
            <Card title="从备份恢复">
              <Typography.Paragraph type="secondary">
                把另一台电脑或以前备份的 .cwbak 文件恢复为一个新的工作区。
              </Typography.Paragraph>
              <Space.Compact style={{ width: '100%' }}>
                <PathInput
                  mode="open-file"
                  value={backupFile}
                  onChange={setBackupFile}
                  placeholder="备份文件路径（.cwbak）"
                  canPick={info.capabilities.pickPath}
                  filters={[{ name: '工作台备份', extensions: ['cwbak'] }]}
                />
                <Button
                  icon={<ImportOutlined />}
                  disabled={!backupFile}
                  onClick={() => void onImport()}
                  loading={importBackup.isPending}
                >
                  恢复
                </Button>
              </Space.Compact>
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}

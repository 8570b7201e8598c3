import {
  EditOutlined,
  FileExcelOutlined,
  InboxOutlined,
  PlusOutlined,
  RollbackOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import type { Department } from '../../../main/core/contract/records';
import { call, errorMessage, useCommand, useCommandQuery } from '../api';
import { useExport } from '../components/useExport';
import { useSubmit } from '../forms';
import { DEPT_KIND_LABEL, DEPT_ROLE_COLOR, DEPT_ROLE_LABEL, options } from '../labels';
import { navigate } from '../route';

interface FormValues {
  name: string;
  shortName?: string;
  aliases?: string[];
  kind: Department['kind'];
  role: Department['role'];
  contact?: string;
  phone?: string;
  sort?: number;
}

function DepartmentModal({ dept, onClose }: { dept: Department | 'new' | null; onClose: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const create = useCommand('departments.create');
  const update = useCommand('departments.update');
  const isNew = dept === 'new';

  useEffect(() => {
    if (!dept) return;
    form.resetFields();
    if (dept === 'new') form.setFieldsValue({ kind: 'department', role: 'responsible', aliases: [] });
    else
      form.setFieldsValue({
        name: dept.name,
        shortName: dept.shortName ?? undefined,
        aliases: dept.aliases,
        kind: dept.kind,
        role: dept.role,
        contact: dept.contact ?? undefined,
        phone: dept.phone ?? undefined,
        sort: dept.sort,
      });
  }, [dept, form]);

  const submit = useSubmit();
  const save = () =>
    submit(form, async (v) => {
      const body = {
        name: v.name,
        shortName: v.shortName ?? null,
        aliases: v.aliases ?? [],
        kind: v.kind,
        role: v.role,
        contact: v.contact ?? null,
        phone: v.phone ?? null,
        sort: v.sort,
      };
      if (isNew) await create.mutateAsync(body);
      else if (dept) await update.mutateAsync({ id: dept.id, patch: body });
      onClose();
      return isNew ? '已添加单位' : '已保存';
    });

  return (
    <Modal
      open={!!dept}
      title={isNew ? '新增部门单位' : '编辑部门单位'}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      cancelText="取消"
      confirmLoading={create.isPending || update.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<FormValues> form={form} layout="vertical" data-testid="dept-form">
        <Form.Item
          label="单位全称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写单位全称' }]}
        >
          <Input maxLength={80} placeholder="例如：琼海市市场监督管理局" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item label="简称" name="shortName" style={{ flex: 1 }}>
            <Input maxLength={40} placeholder="例如：市市场监管局" />
          </Form.Item>
        </Space.Compact>
        <Form.Item
          label="别名"
          name="aliases"
          tooltip="部门报送的表格里常见的其他写法，导入时用于匹配，例如：市监局、市场监管局"
        >
          <Select mode="tags" tokenSeparators={[',', '，', '、']} placeholder="输入后回车" />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} align="start">
          <Form.Item label="类型" name="kind" style={{ width: 180 }}>
            <Select options={options(DEPT_KIND_LABEL)} />
          </Form.Item>
          <Form.Item label="创建角色" name="role" style={{ width: 180 }}>
            <Select options={options(DEPT_ROLE_LABEL)} />
          </Form.Item>
          <Form.Item label="排序" name="sort" style={{ width: 120 }}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Space>
        <Space size={12} style={{ display: 'flex' }} align="start">
          <Form.Item label="联系人" name="contact" style={{ width: 240 }}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item label="联系电话" name="phone" style={{ width: 240 }}>
            <Input maxLength={40} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export function DepartmentsPage() {
  const { message } = App.useApp();
  const [showArchived, setShowArchived] = useState(false);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const list = useCommandQuery('departments.list', {
    includeArchived: showArchived,
    search: search.trim() || undefined,
  });
  const archive = useCommand('departments.archive');
  const doExport = useExport();

  const toggleArchive = async (d: Department) => {
    try {
      await archive.mutateAsync({ id: d.id, archived: !d.archived });
      message.success(d.archived ? `已恢复「${d.name}」` : `已归档「${d.name}」`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const stats = useMemo(() => {
    const rows = list.data ?? [];
    return {
      total: rows.filter((d) => !d.archived).length,
      towns: rows.filter((d) => !d.archived && d.kind === 'town').length,
    };
  }, [list.data]);

  const columns: ColumnsType<Department> = [
    {
      title: '单位全称',
      dataIndex: 'name',
      render: (v: string, d) => (
        <Space>
          <Typography.Text delete={d.archived}>{v}</Typography.Text>
          {d.archived && <Tag>已归档</Tag>}
        </Space>
      ),
    },
    {
      title: '简称',
      dataIndex: 'shortName',
      width: 150,
      render: (v: string | null) => v ?? <span className="muted">—</span>,
    },
    { title: '类型', dataIndex: 'kind', width: 100, render: (k: Department['kind']) => DEPT_KIND_LABEL[k] },
    {
      title: '创建角色',
      dataIndex: 'role',
      width: 100,
      render: (r: Department['role']) => <Tag color={DEPT_ROLE_COLOR[r]}>{DEPT_ROLE_LABEL[r]}</Tag>,
    },
    {
      title: '牵头任务',
      key: 'tasks',
      width: 110,
      sorter: (a, b) => a.taskCount - b.taskCount,
      render: (_: unknown, d) =>
        d.taskCount > 0 ? (
          <Typography.Link onClick={() => navigate('tasks', { dept: d.id })}>
            {d.openTaskCount} / {d.taskCount}
          </Typography.Link>
        ) : (
          <span className="muted">0</span>
        ),
    },
    {
      title: '联系人',
      dataIndex: 'contact',
      width: 100,
      render: (v: string | null) => v ?? <span className="muted">—</span>,
    },
    {
      title: '联系电话',
      dataIndex: 'phone',
      width: 130,
      render: (v: string | null) => v ?? <span className="muted">—</span>,
    },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_: unknown, d) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(d)}>
            编辑
          </Button>
          {d.archived ? (
            <Button
              type="link"
              size="small"
              icon={<RollbackOutlined />}
              onClick={() => void toggleArchive(d)}
            >
              恢复
            </Button>
          ) : (
            <Popconfirm
              title={`归档「${d.shortName ?? d.name}」？`}
              description="归档后不再出现在选择列表中，已有任务和记录保留。"
              okText="归档"
              cancelText="取消"
              onConfirm={() => void toggleArchive(d)}
            >
              <Button type="link" size="small" icon={<InboxOutlined />}>
                归档
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>部门单位</h2>
          <div className="page-sub">
            {stats.total} 个在册单位，其中镇（区）{stats.towns} 个 · “牵头任务”为未办结 / 全部
          </div>
        </div>
        <Space>
          <Button
            icon={<FileExcelOutlined />}
            onClick={() =>
              void doExport({
                defaultName: '部门单位.xlsx',
                filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
                run: (file) => call('departments.export', { includeArchived: showArchived, file }),
              })
            }
          >
            导出 Excel
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="new-dept"
          >
            新增单位
          </Button>
        </Space>
      </div>
      <div className="panel">
        <Space>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索全称、简称、别名"
            style={{ width: 280 }}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <Space size={6}>
            <Switch checked={showArchived} onChange={setShowArchived} size="small" />
            显示已归档
          </Space>
        </Space>
      </div>
      <div className="panel" style={{ padding: 0 }}>
        <Table<Department>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={false}
          data-testid="dept-table"
        />
      </div>
      <DepartmentModal dept={editing} onClose={() => setEditing(null)} />
    </div>
  );
}

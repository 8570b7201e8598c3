import { App, Form, Input, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { MaterialTemplate } from '../../../../main/core/contract/materials';
import { errorMessage, useCommand, useCommandQuery } from '../../api';
import { useSubmit } from '../../forms';
import { MATERIAL_TYPE_LABEL, options } from '../../labels';
import { navigate } from '../../route';
import { MATERIAL_TYPE_COLOR, type MaterialType } from './kit';
import { TaskSelect } from '../../components/TaskSelect';

interface Values {
  title: string;
  type: MaterialType;
  templateId: string;
  indicatorIds?: string[];
  taskIds?: string[];
  tags?: string[];
}

const BLANK = '';

interface TemplateOption {
  value: string;
  label: string;
  template: MaterialTemplate | null;
}

/** 新建材料: title, type, a template (bundled 内置 or the team's own 我的), links and tags. */
export function NewMaterialModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const submit = useSubmit();
  const create = useCommand('materials.create');
  const removeTemplate = useCommand('materials.deleteTemplate');
  const templates = useCommandQuery('materials.templates', {}, { enabled: open });
  const indicators = useCommandQuery('indicators.list', {}, { enabled: open });
  const type = Form.useWatch('type', form);
  const templateId = Form.useWatch('templateId', form);

  const byId = useMemo(() => new Map((templates.data ?? []).map((t) => [t.id, t])), [templates.data]);
  const templateOptions = useMemo(() => {
    const all = templates.data ?? [];
    // the chosen type's templates first
    const sorted = (list: MaterialTemplate[]) =>
      [...list].sort((a, b) => Number(b.type === type) - Number(a.type === type));
    const opt = (t: MaterialTemplate): TemplateOption => ({ value: t.id, label: t.name, template: t });
    const builtin = sorted(all.filter((t) => t.builtin)).map(opt);
    const mine = sorted(all.filter((t) => !t.builtin)).map(opt);
    return [
      { value: BLANK, label: '空白文档', template: null },
      ...(builtin.length ? [{ label: '内置模板', title: '内置模板', options: builtin }] : []),
      ...(mine.length ? [{ label: '我的模板', title: '我的模板', options: mine }] : []),
    ];
  }, [templates.data, type]);
  const chosen = templateId ? byId.get(templateId) : undefined;

  const ok = () =>
    submit(form, async (v) => {
      const m = await create.mutateAsync({
        title: v.title,
        type: v.type,
        templateId: v.templateId || null,
        indicatorIds: v.indicatorIds ?? [],
        taskIds: v.taskIds ?? [],
        tags: v.tags ?? [],
      });
      onClose();
      navigate('materials', { id: m.id });
      return `已新建「${m.title}」`;
    });

  const deleteTemplate = async (t: MaterialTemplate) => {
    try {
      await removeTemplate.mutateAsync({ id: t.id });
      form.setFieldValue('templateId', BLANK);
      message.success(`已删除模板「${t.name}」`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Modal
      open={open}
      title="新建材料"
      okText="创建并打开"
      cancelText="取消"
      onOk={() => void ok()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={620}
      afterOpenChange={(o) => {
        if (o) form.setFieldsValue({ templateId: BLANK, type: 'work_points' });
      }}
    >
      <Form<Values> form={form} layout="vertical" data-testid="new-material-form" preserve={false}>
        <Form.Item
          label="标题"
          name="title"
          rules={[{ required: true, whitespace: true, message: '请填写标题' }]}
        >
          <Input maxLength={200} placeholder="例如：琼海市2027年社会信用体系建设工作要点" autoFocus />
        </Form.Item>
        <Form.Item label="类型" name="type" rules={[{ required: true, message: '请选择类型' }]}>
          <Select options={options(MATERIAL_TYPE_LABEL)} data-testid="new-material-type" />
        </Form.Item>
        <Form.Item
          label="模板"
          name="templateId"
          extra={
            chosen ? (
              <span>
                {chosen.description ?? '（无说明）'}
                {!chosen.builtin && (
                  <Popconfirm
                    title={`删除模板「${chosen.name}」？`}
                    description="已用它创建的材料不受影响。"
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => void deleteTemplate(chosen)}
                  >
                    <Typography.Link type="danger" style={{ marginLeft: 8 }}>
                      删除此模板
                    </Typography.Link>
                  </Popconfirm>
                )}
              </span>
            ) : (
              '从空白文档开始，或选一个模板（城市名、年份等会自动填好）。'
            )
          }
        >
          <Select
            options={templateOptions}
            loading={templates.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(id: string) => {
              const t = byId.get(id);
              if (t) form.setFieldValue('type', t.type);
            }}
            optionRender={(o) => {
              const t = (o.data as TemplateOption).template;
              return (
                <div style={{ whiteSpace: 'normal', lineHeight: 1.5, padding: '2px 0' }}>
                  <span>{o.label}</span>
                  {t && (
                    <Tag color={MATERIAL_TYPE_COLOR[t.type]} style={{ marginLeft: 6 }}>
                      {MATERIAL_TYPE_LABEL[t.type]}
                    </Tag>
                  )}
                  {t?.description && <div style={{ color: '#8a919c', fontSize: 12 }}>{t.description}</div>}
                </div>
              );
            }}
            data-testid="new-material-template"
          />
        </Form.Item>
        <Form.Item label="关联指标" name="indicatorIds">
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={(indicators.data ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.title}` }))}
            placeholder="可多选"
            maxTagCount="responsive"
          />
        </Form.Item>
        <Form.Item label="关联任务" name="taskIds">
          <TaskSelect />
        </Form.Item>
        <Form.Item label="标签" name="tags">
          <Select
            mode="tags"
            placeholder="输入后回车，例如：领导小组、2027年"
            tokenSeparators={[',', '，']}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { Button, Form, Select } from 'antd';
import { useEffect } from 'react';
import type { Material } from '../../../../main/core/contract/materials';
import { useCommand, useCommandQuery } from '../../api';
import { useSubmit } from '../../forms';
import { MATERIAL_TYPE_LABEL, options } from '../../labels';
import type { MaterialType } from './kit';
import { TaskSelect } from '../../components/TaskSelect';

interface Values {
  type: MaterialType;
  ownerId: string | null;
  indicatorIds: string[];
  taskIds: string[];
  tags: string[];
}

/** 关联: the material's type, owner, linked indicators and tasks, and tags. */
export function LinksPanel({ material }: { material: Material }) {
  const [form] = Form.useForm<Values>();
  const submit = useSubmit();
  const update = useCommand('materials.update');
  const indicators = useCommandQuery('indicators.list', {});
  const staff = useCommandQuery('staff.list', {});
  const version = `${material.id}|${material.updatedAt}|${material.indicatorIds.join()}|${material.taskIds.join()}`;

  useEffect(() => {
    // a change elsewhere refreshes the form unless it holds unsaved edits
    if (form.isFieldsTouched()) return;
    form.setFieldsValue({
      type: material.type,
      ownerId: material.ownerId,
      indicatorIds: material.indicatorIds,
      taskIds: material.taskIds,
      tags: material.tags,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, form]);

  const save = () =>
    submit(form, async (v) => {
      await update.mutateAsync({
        id: material.id,
        patch: {
          type: v.type,
          ownerId: v.ownerId ?? null,
          indicatorIds: v.indicatorIds ?? [],
          taskIds: v.taskIds ?? [],
          tags: v.tags ?? [],
        },
      });
      form.resetFields();
      form.setFieldsValue(v);
      return '已保存关联信息';
    });

  return (
    <Form<Values> form={form} layout="vertical" data-testid="links-form">
      <Form.Item label="类型" name="type" rules={[{ required: true, message: '请选择类型' }]}>
        <Select options={options(MATERIAL_TYPE_LABEL)} />
      </Form.Item>
      <Form.Item label="负责人" name="ownerId">
        <Select
          allowClear
          options={(staff.data?.staff ?? []).map((s) => ({
            value: s.id,
            label: s.active ? s.name : `${s.name}（已停用）`,
          }))}
          placeholder="选择负责人"
        />
      </Form.Item>
      <Form.Item label="关联指标" name="indicatorIds" tooltip="自评报告和评审材料汇编按指标收录关联的材料">
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={(indicators.data ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.title}` }))}
          placeholder="可多选"
          data-testid="links-indicators"
        />
      </Form.Item>
      <Form.Item label="关联任务" name="taskIds">
        <TaskSelect testId="links-tasks" />
      </Form.Item>
      <Form.Item label="标签" name="tags">
        <Select mode="tags" placeholder="输入后回车" tokenSeparators={[',', '，']} />
      </Form.Item>
      <Button type="primary" onClick={() => void save()} loading={update.isPending} data-testid="links-save">
        保存
      </Button>
    </Form>
  );
}

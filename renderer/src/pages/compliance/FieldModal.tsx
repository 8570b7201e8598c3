import { Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useEffect } from 'react';
import type { FieldFormat, RuleField } from '../../../../main/core/contract/compliance';
import { FIELD_FORMAT_LABELS, FIELD_FORMATS } from '../../../../main/core/contract/labels';

interface Values {
  name: string;
  aliases: string[];
  required: boolean;
  format: FieldFormat;
  codeList: string[];
  maxLength: number | null;
}

/**
 * 修改字段: name, name variants, required, format, code list and maximum length of one field of a
 * rule set being edited. The change stays in the drawer until it is saved as a new version.
 */
export function FieldModal({
  field,
  onClose,
  onSave,
}: {
  field: RuleField | null;
  onClose: () => void;
  onSave: (f: RuleField) => void;
}) {
  const [form] = Form.useForm<Values>();
  const format = Form.useWatch('format', form);
  useEffect(() => {
    if (field)
      form.setFieldsValue({
        name: field.name,
        aliases: field.aliases,
        required: field.required,
        format: field.format,
        codeList: field.codeList,
        maxLength: field.maxLength,
      });
  }, [field, form]);

  const save = async () => {
    if (!field) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    onSave({
      ...field,
      name: v.name.trim(),
      aliases: [...new Set(v.aliases.map((a) => a.trim()).filter(Boolean))],
      required: v.required,
      format: v.format,
      codeList: [...new Set(v.codeList.map((a) => a.trim()).filter(Boolean))],
      maxLength: v.maxLength ?? null,
    });
  };

  return (
    <Modal
      open={!!field}
      title={field ? `修改字段「${field.name}」（${field.key}）` : '修改字段'}
      okText="确定"
      cancelText="取消"
      onOk={() => void save()}
      onCancel={onClose}
      width={600}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} layout="vertical" data-testid="field-form">
        <Form.Item
          label="字段名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写字段名称' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          label="别名"
          name="aliases"
          extra="部门文件中出现的其他列名（旧标准名称、简称等），输入后按回车添加"
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder="输入别名后回车" />
        </Form.Item>
        <div className="cmp-form-row">
          <Form.Item label="必填" name="required" valuePropName="checked">
            <Switch checkedChildren="必填" unCheckedChildren="选填" />
          </Form.Item>
          <Form.Item label="格式" name="format" style={{ flex: 1 }}>
            <Select options={FIELD_FORMATS.map((f) => ({ value: f, label: FIELD_FORMAT_LABELS[f] }))} />
          </Form.Item>
          <Form.Item label="最大长度" name="maxLength" extra="不填则不限">
            <InputNumber min={1} max={10000} precision={0} style={{ width: 120 }} placeholder="不限" />
          </Form.Item>
        </div>
        {field?.requiredWhen && (
          <div className="page-sub" style={{ marginTop: -8, marginBottom: 12 }}>
            另有条件必填规则，保持不变。
          </div>
        )}
        <Form.Item
          label="代码表"
          name="codeList"
          extra={format === 'code' ? '允许的取值，输入后按回车添加' : '格式为「代码表」时才按代码表检查'}
          rules={[
            {
              validator: (_, v: string[] | undefined) =>
                form.getFieldValue('format') === 'code' && (!v || v.length === 0)
                  ? Promise.reject(new Error('格式为代码表时，至少需要一个取值'))
                  : Promise.resolve(),
            },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder="输入取值后回车" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

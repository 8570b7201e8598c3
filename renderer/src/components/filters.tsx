import { Select } from 'antd';
import type { Indicator } from '../../../main/core/contract/records';
import { options } from '../labels';

/** A multiple-choice filter over a label table (状态, 类型, 来源 …) as the list pages use it. */
export function LabelFilter<K extends string>({
  labels,
  placeholder,
  value,
  onChange,
  minWidth = 130,
  testId,
}: {
  labels: Record<K, string>;
  placeholder: string;
  value: K[];
  onChange: (v: K[]) => void;
  minWidth?: number;
  testId?: string;
}) {
  return (
    <Select<K[]>
      mode="multiple"
      allowClear
      placeholder={placeholder}
      style={{ minWidth }}
      maxTagCount="responsive"
      value={value}
      onChange={onChange}
      options={options(labels)}
      data-testid={testId}
    />
  );
}

/** One indicator to filter by, searchable by code and title. */
export function IndicatorFilter({
  indicators,
  value,
  onChange,
  width = 200,
}: {
  indicators: Indicator[] | undefined;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  width?: number;
}) {
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder="关联指标"
      style={{ width }}
      value={value}
      onChange={onChange}
      options={(indicators ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.title}` }))}
    />
  );
}

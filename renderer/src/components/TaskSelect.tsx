import { Select, Spin } from 'antd';
import { useMemo, useState } from 'react';
import { useCommandQuery } from '../api';
import { useDebounced } from '../pages/supervisionKit';

/** 关联任务: searched in the core (code, title, department); the chosen ones are always listed. */
export function TaskSelect({
  value,
  onChange,
  testId,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  testId?: string;
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const found = useCommandQuery(
    'tasks.list',
    { search: q || undefined, limit: 50 },
    { placeholderData: (p) => p },
  );
  const chosen = useCommandQuery('tasks.list', { ids: value ?? [] }, { enabled: (value?.length ?? 0) > 0 });
  const opts = useMemo(() => {
    const m = new Map<string, { value: string; label: string }>();
    for (const t of [...(chosen.data?.rows ?? []), ...(found.data?.rows ?? [])])
      m.set(t.id, { value: t.id, label: `${t.code} ${t.title}` });
    return [...m.values()];
  }, [found.data, chosen.data]);
  return (
    <Select
      mode="multiple"
      value={value}
      onChange={onChange}
      options={opts}
      placeholder="输入编号或名称搜索任务"
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      onBlur={() => setSearch('')}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? <Spin size="small" /> : '没有匹配的任务'}
      maxTagTextLength={20}
      data-testid={testId}
    />
  );
}

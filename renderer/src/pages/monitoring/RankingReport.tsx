import { FileWordOutlined } from '@ant-design/icons';
import { Button, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { call, useCommandQuery } from '../../api';
import { useExport } from '../../components/useExport';
import { quarterLabel, quarterOf } from './kit';

/**
 * 季度排名分析报告: pick a quarter (those with monitoring results, newest first) and generate the
 * 预警监测排名分析报告 (.docx). Used on 监测排名 and 报告输出.
 */
export function RankingReport({
  size,
  label = '季度排名分析报告',
  block = false,
}: {
  size?: 'small' | 'middle';
  /** The button's text (a narrow card says less). */
  label?: string;
  /** Fill the container's width. */
  block?: boolean;
}) {
  const overview = useCommandQuery('monitoring.overview', {});
  const runExport = useExport();
  const [busy, setBusy] = useState(false);
  const quarters = useMemo(() => {
    const set = new Set((overview.data?.results ?? []).map((r) => quarterOf(r.month)));
    return [...set].sort().reverse();
  }, [overview.data]);
  const [picked, setPicked] = useState<string | null>(null);
  const quarter = picked ?? quarters[0] ?? null;

  const run = async () => {
    if (!quarter) return;
    setBusy(true);
    try {
      await runExport({
        defaultName: `预警监测排名分析报告-${quarter}-${dayjs().format('YYYYMMDD')}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('reports.rankingAnalysis', { quarter, file }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space.Compact size={size} style={block ? { width: '100%' } : undefined}>
      <Select
        value={quarter}
        onChange={setPicked}
        placeholder="没有监测结果"
        disabled={!quarters.length}
        options={quarters.map((q) => ({ value: q, label: quarterLabel(q) }))}
        style={block ? { flex: 1, minWidth: 0 } : { width: 150 }}
        data-testid="ranking-quarter"
      />
      <Button
        icon={<FileWordOutlined />}
        loading={busy}
        disabled={!quarter}
        onClick={() => void run()}
        data-testid="ranking-report"
      >
        {label}
      </Button>
    </Space.Compact>
  );
}

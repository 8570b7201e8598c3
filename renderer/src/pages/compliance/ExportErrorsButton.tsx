import { DownloadOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useState } from 'react';
import type { ComplianceRunSummary } from '../../../../main/core/contract/compliance';
import { call } from '../../api';
import { useExport } from '../../components/useExport';

/** "各单位行政处罚.xlsx" → "各单位行政处罚-错误明细.xlsx". */
export function errorsFileName(run: Pick<ComplianceRunSummary, 'fileName'>): string {
  const base = run.fileName.replace(/\.(xlsx|csv)$/i, '');
  return `${base}-错误明细.xlsx`;
}

/**
 * 导出错误明细: the run's error workbook (original columns plus 错误字段 / 规则 / 说明, bad cells
 * highlighted), saved where the user chooses (desktop) or downloaded (browser). Disabled when the
 * file had no findings (there is no workbook).
 */
export function ExportErrorsButton({
  run,
  size,
  type = 'primary',
  iconOnly = false,
}: {
  run: ComplianceRunSummary;
  size?: 'small' | 'middle';
  type?: 'primary' | 'default' | 'link' | 'text';
  /** Only the icon (tables); the name is in the tooltip. */
  iconOnly?: boolean;
}) {
  const runExport = useExport();
  const [busy, setBusy] = useState(false);
  const none = run.errors + run.warnings === 0;
  const button = (
    <Button
      type={type}
      size={size}
      icon={<DownloadOutlined />}
      loading={busy}
      disabled={none}
      data-testid="export-errors"
      onClick={() => {
        setBusy(true);
        void runExport({
          defaultName: errorsFileName(run),
          filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
          run: (file) => call('compliance.exportErrors', { id: run.id, file }),
        }).finally(() => setBusy(false));
      }}
    >
      {iconOnly ? null : '导出错误明细'}
    </Button>
  );
  if (none) return <Tooltip title="这个文件没有错误或警告，无需导出">{button}</Tooltip>;
  return iconOnly ? <Tooltip title="导出错误明细">{button}</Tooltip> : button;
}

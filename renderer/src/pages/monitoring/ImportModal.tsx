import { Alert, App, Modal, Spin, Switch } from 'antd';
import { useState } from 'react';
import { call, errorMessage } from '../../api';
import { uploadFile } from '../task/upload';
import { DIM_LABEL, DIMS, monthLabel } from './kit';
import { ExcelDrop } from '../../components/ExcelDrop';

/**
 * 导入 xlsx of monthly results. The core reads the whole file first; any bad row (a month twice,
 * a rank larger than the number of cities …) refuses the file with the row named, and nothing
 * is written. "覆盖已有月份" lets the file replace months already entered.
 */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ fileName: string; message: string } | null>(null);

  const run = async (file: File) => {
    setBusy(file.name);
    setError(null);
    try {
      const ref = await uploadFile(file);
      const r = await call('monitoring.import', { file: ref, replace });
      const months = r.months.map(monthLabel);
      message.success(
        `已从「${file.name}」导入 ${r.months.length} 个月的监测结果（新增 ${r.created}，更新 ${r.updated}）` +
          (months.length ? `：${months.join('、')}` : ''),
      );
      onClose();
    } catch (e) {
      setError({ fileName: file.name, message: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open={open}
      title="从 Excel 导入月度监测结果"
      footer={null}
      width={620}
      onCancel={() => {
        if (!busy) {
          setError(null);
          onClose();
        }
      }}
      destroyOnHidden
    >
      <div className="mon-import" data-testid="monitoring-import">
        <p className="page-sub" style={{ marginTop: 0 }}>
          表格第一行为表头，每月一行，列为：<b>月份</b>（如 2027-03 或 2027年3月）、<b>综合得分</b>、
          <b>排名</b>、<b>参评城市数</b>，以及可选的五个维度得分（{DIMS.map((d) => DIM_LABEL[d]).join('、')}
          ）和备注。 文件中任何一行有问题，整份文件都不会导入，并会指出是第几行。
        </p>
        <div className="mon-import-switch">
          <Switch checked={replace} onChange={setReplace} data-testid="import-replace" />
          <span>覆盖已有月份</span>
          <span className="page-sub">
            {replace ? '文件中已录入过的月份将被文件中的数据替换' : '文件中的月份如已录入，将提示而不导入'}
          </span>
        </div>
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={`无法导入「${error.fileName}」`}
            description={
              <div data-testid="import-error" style={{ whiteSpace: 'pre-line' }}>
                {error.message}
              </div>
            }
          />
        )}
        <Spin spinning={!!busy} description={busy ? `正在导入「${busy}」…` : undefined}>
          <div data-testid="import-drop">
            <ExcelDrop
              onFile={(f) => void run(f)}
              retry={!!error}
              disabled={!!busy}
              hint="文件格式为 .xlsx；旧版 .xls 请先在 Excel/WPS 中另存为 .xlsx。"
            />
          </div>
        </Spin>
      </div>
    </Modal>
  );
}

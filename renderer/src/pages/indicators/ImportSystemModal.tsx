/**
 * 导入指标体系: an .xlsx in the export format is sent to the core (attachments.upload chunks),
 * which checks the whole file (codes, parents, points) before writing anything. The result
 * says what was created, updated and removed; a refusal is shown as the core words it.
 */
import { CheckCircleFilled, FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Modal, Spin } from 'antd';
import { useState } from 'react';
import type { Output } from '../../../../main/core/contract/index';
import { errorMessage, useCommand } from '../../api';
import { uploadFile } from '../task/upload';
import { ExcelDrop } from '../../components/ExcelDrop';

type Result = Output<'indicators.importSystem'>;

export function ImportSystemModal({
  open,
  onClose,
  onExportTemplate,
}: {
  open: boolean;
  onClose: () => void;
  /** Exports the current version (the file format to fill in). */
  onExportTemplate: () => void;
}) {
  const run = useCommand('indicators.importSystem');
  const [makeCurrent, setMakeCurrent] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ name: string; message: string } | null>(null);
  const [result, setResult] = useState<(Result & { fileName: string }) | null>(null);

  const reset = () => {
    setBusy(null);
    setError(null);
    setResult(null);
    setMakeCurrent(true);
  };

  const importFile = async (f: File) => {
    setBusy(f.name);
    setError(null);
    setResult(null);
    try {
      const file = await uploadFile(f);
      const r = await run.mutateAsync({ file, makeCurrent });
      setResult({ ...r, fileName: f.name });
    } catch (e) {
      setError({ name: f.name, message: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open={open}
      title="导入指标体系"
      width={620}
      onCancel={onClose}
      afterOpenChange={(o) => {
        if (!o) reset();
      }}
      footer={
        result ? (
          <Button type="primary" onClick={onClose} data-testid="import-system-done">
            完成
          </Button>
        ) : (
          <Button onClick={onClose}>取消</Button>
        )
      }
      data-testid="import-system"
    >
      {result ? (
        <div className="import-result" data-testid="import-system-result">
          <CheckCircleFilled className="import-result-icon" />
          <div>
            <div className="import-result-title">
              已导入「{result.fileName}」：{result.name}（{result.version} 版）
            </div>
            <div>
              新增 <b>{result.created}</b> 项，更新 <b>{result.updated}</b> 项，删除 <b>{result.removed}</b>{' '}
              项。
            </div>
            <div className="muted">
              {result.current ? '该版本已设为当前指标体系。' : '当前指标体系未改变，可在页面右上角切换版本。'}
            </div>
          </div>
        </div>
      ) : busy ? (
        <div style={{ padding: '32px 0', textAlign: 'center' }} data-testid="import-system-busy">
          <FileExcelOutlined style={{ fontSize: 36, color: '#2e9d5b' }} />
          <div style={{ margin: '10px 0' }}>{busy}</div>
          <Spin /> <span className="muted">正在检查并导入…</span>
        </div>
      ) : (
        <>
          {error && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              title={`无法导入「${error.name}」，没有写入任何内容`}
              description={<div style={{ whiteSpace: 'pre-wrap' }}>{error.message}</div>}
              data-testid="import-system-error"
            />
          )}
          <ExcelDrop
            onFile={(f) => void importFile(f)}
            retry={!!error}
            hint={
              <>
                文件格式与“导出”的指标体系表相同：「版本信息」工作表写版本号和名称，「指标体系」工作表每个指标一行（编号、名称、类型、上级编号、分值、评分标准、责任单位、佐证材料）。
                已有的版本按编号更新（文件中没有的编号将被删除），新的版本号则新建一个版本。导入前检查整个文件，有错误时不写入任何内容。
              </>
            }
          />
          <div className="import-options">
            <Checkbox checked={makeCurrent} onChange={(e) => setMakeCurrent(e.target.checked)}>
              导入后设为当前指标体系
            </Checkbox>
            <Button type="link" onClick={onExportTemplate}>
              导出当前版本作为模板
            </Button>
          </div>
        </>
      )}
    </Modal>
  );
}

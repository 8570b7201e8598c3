import { InboxOutlined } from '@ant-design/icons';
import { Upload } from 'antd';
import type { ReactNode } from 'react';

/**
 * The drop zone of every Excel import (tasks, indicator system, monitoring results) and of the
 * data-compliance check (.xlsx or .csv): one file, handed to `onFile` (nothing is uploaded by antd
 * itself); after a refusal it invites a retry. `what` names the kind of file in the invitation.
 */
export function ExcelDrop({
  onFile,
  retry,
  hint,
  accept = '.xlsx',
  what = 'Excel 文件',
  disabled,
}: {
  onFile: (file: File) => void;
  /** A previous file was refused: say "choose again". */
  retry: boolean;
  hint: ReactNode;
  /** Comma-separated extensions, e.g. ".xlsx,.csv". */
  accept?: string;
  /** What to drop, e.g. 「Excel 或 CSV 文件」. */
  what?: string;
  disabled?: boolean;
}) {
  return (
    <Upload.Dragger
      multiple={false}
      accept={{ format: accept, filter: 'native' }}
      showUploadList={false}
      disabled={disabled}
      beforeUpload={(f) => {
        onFile(f);
        return Upload.LIST_IGNORE;
      }}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">
        {retry ? '修改后重新选择文件：点击或拖到这里' : `点击选择或将 ${what}拖到这里`}
      </p>
      <p className="ant-upload-hint" style={{ padding: '0 24px' }}>
        {hint}
      </p>
    </Upload.Dragger>
  );
}

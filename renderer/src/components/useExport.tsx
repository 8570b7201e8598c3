import { App, Button, Space } from 'antd';
import type { ExportResult } from '../../../main/core/contract/supervision';
import { call, errorMessage, useCommandQuery } from '../api';
import { downloadExport, openExport } from '../exports';

interface ExportOptions {
  /** Suggested file name, e.g. 部门排行-2027年3月.xlsx */
  defaultName: string;
  filters: { name: string; extensions: string[] }[];
  /** Runs the export command; file is where to write (undefined: the data folder's exports/). */
  run: (file: string | undefined) => Promise<ExportResult>;
}

/**
 * Exports a file the way the user's shell allows: the desktop app asks where to save and offers
 * to open it; the browser writes it in the data folder and downloads it.
 */
export function useExport() {
  const { notification, message } = App.useApp();
  const info = useCommandQuery('app.info', {});
  const caps = info.data?.capabilities;
  return async (opts: ExportOptions): Promise<ExportResult | null> => {
    try {
      let file: string | undefined;
      if (caps?.pickPath) {
        const picked = await call('system.pickPath', {
          mode: 'save-file',
          defaultPath: opts.defaultName,
          filters: opts.filters,
        });
        if (!picked.path) return null;
        file = picked.path;
      }
      const res = await opts.run(file);
      if (!caps?.pickPath) await downloadExport(res.file);
      notification.success({
        placement: 'bottomRight',
        title: '导出完成',
        description: `${res.file}（${(res.bytes / 1024).toFixed(1)} KB）`,
        btn: caps?.openPath ? (
          <Space>
            <Button
              size="small"
              type="primary"
              onClick={() => void openExport(res.file).catch((e) => message.error(errorMessage(e)))}
            >
              打开
            </Button>
          </Space>
        ) : undefined,
      });
      return res;
    } catch (e) {
      message.error(errorMessage(e));
      return null;
    }
  };
}

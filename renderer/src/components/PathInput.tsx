import { FolderOpenOutlined } from '@ant-design/icons';
import { App, Button, Input, Space } from 'antd';
import { call, errorMessage } from '../api';

interface Props {
  mode: 'open-file' | 'save-file' | 'open-dir';
  value?: string;
  onChange?: (v: string) => void;
  placeholder?: string;
  /** The shell can show a system file dialog (Electron); in the browser the path is typed. */
  canPick: boolean;
  filters?: { name: string; extensions: string[] }[];
  defaultPath?: string;
}

/** A file or folder path: typed, or chosen with the system dialog where the shell offers one. */
export function PathInput({ mode, value, onChange, placeholder, canPick, filters, defaultPath }: Props) {
  const { message } = App.useApp();
  const browse = async () => {
    try {
      const r = await call('system.pickPath', { mode, filters, defaultPath: value || defaultPath });
      if (r.path) onChange?.(r.path);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        placeholder={placeholder}
        allowClear
      />
      {canPick && (
        <Button icon={<FolderOpenOutlined />} onClick={() => void browse()}>
          浏览…
        </Button>
      )}
    </Space.Compact>
  );
}

import {
  CheckCircleOutlined,
  CloudOutlined,
  CloudUploadOutlined,
  DisconnectOutlined,
  ExclamationCircleOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { navigate } from '../../route';
import { pendingWords, syncSummary, useSyncStatus, useTick, type IndicatorTone } from './kit';
import './sync.css';

const ICON: Record<IndicatorTone, ReactNode> = {
  ok: <CheckCircleOutlined />,
  pending: <CloudUploadOutlined />,
  busy: <SyncOutlined spin />,
  offline: <DisconnectOutlined />,
  error: <ExclamationCircleOutlined />,
  off: <CloudOutlined />,
};

/** The header's sync state (已同步 3 分钟前 / 2 项待同步 / 离线 / 同步出错); a click opens 同步. */
export function SyncIndicator() {
  const status = useSyncStatus();
  const now = useTick();
  if (status.isPending) return null;
  if (status.isError) {
    return (
      <button
        type="button"
        className="sync-indicator sync-tone-error"
        onClick={() => navigate('sync')}
        title={status.error.message}
        data-testid="sync-indicator"
        data-tone="error"
      >
        <ExclamationCircleOutlined /> 同步不可用
      </button>
    );
  }
  const s = status.data;
  const { text, tone } = syncSummary(s, now);
  const tip = [
    s.serverUrl ? `中心平台：${s.serverUrl}` : '尚未登录中心平台，点击前往「同步」登录',
    s.lastSyncAt ? `上次同步：${dayjs(s.lastSyncAt).format('YYYY-MM-DD HH:mm:ss')}` : null,
    pendingWords(s) ? `待同步：${pendingWords(s)}` : null,
    s.error ? s.error.message : null,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{tip}</span>} placement="bottomRight">
      <button
        type="button"
        className={`sync-indicator sync-tone-${tone}`}
        onClick={() => navigate('sync')}
        data-testid="sync-indicator"
        data-tone={tone}
      >
        {ICON[tone]} {text}
      </button>
    </Tooltip>
  );
}

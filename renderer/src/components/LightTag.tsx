import { Tooltip } from 'antd';
import type { Light } from '../../../main/core/contract/records';
import { LIGHT_COLOR, LIGHT_LABEL, lightReasonText } from '../labels';

/** A traffic light (亮灯) dot with its label; the reason (逾期 3 天…) in a tooltip and optionally inline. */
export function LightTag({
  light,
  reason,
  showText = false,
}: {
  light: Light;
  reason?: string | null;
  showText?: boolean;
}) {
  const why = lightReasonText(reason ?? null);
  const dot = (
    <span
      data-light={light}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}
      aria-label={`${LIGHT_LABEL[light]}${why ? `：${why}` : ''}`}
    >
      <span
        style={{
          width: 10,
          height: 10,
          borderRadius: '50%',
          background: LIGHT_COLOR[light],
          boxShadow: light === 'red' || light === 'yellow' ? `0 0 0 3px ${LIGHT_COLOR[light]}33` : undefined,
          display: 'inline-block',
        }}
      />
      {showText && (
        <span style={{ color: light === 'none' ? '#9ca3af' : undefined }}>{why ?? LIGHT_LABEL[light]}</span>
      )}
    </span>
  );
  return why && !showText ? <Tooltip title={why}>{dot}</Tooltip> : dot;
}

import { Tooltip, type TooltipProps } from 'antd';
import { useState, type CSSProperties, type ReactNode } from 'react';

/**
 * A tooltip for table cells of the virtual task list: a plain span until the pointer first
 * enters it, then an antd Tooltip (opened at once). Thousands of rows scroll past; mounting a
 * Tooltip (trigger, portal, observers) in every cell of every row made scrolling visibly slower.
 * The content is re-mounted when the tooltip arms, so do not put clickable things inside.
 */
export function LazyTooltip({
  title,
  placement,
  style,
  children,
}: {
  title: ReactNode;
  placement?: TooltipProps['placement'];
  /** Style of the wrapping span (e.g. ellipsis in a flex cell). */
  style?: CSSProperties;
  children: ReactNode;
}) {
  const [armed, setArmed] = useState(false);
  if (!title) return <>{children}</>;
  if (!armed) {
    return (
      <span onMouseEnter={() => setArmed(true)} style={style}>
        {children}
      </span>
    );
  }
  return (
    <Tooltip title={title} placement={placement} defaultOpen>
      <span style={style}>{children}</span>
    </Tooltip>
  );
}

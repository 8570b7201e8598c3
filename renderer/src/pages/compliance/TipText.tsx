import { Tooltip } from 'antd';

/** A table cell render: the text with its full value on hover (for ellipsis columns), or `empty` greyed. */
export function tipText(empty: string) {
  const render = (v: string | null) =>
    v ? (
      <Tooltip title={v}>
        <span>{v}</span>
      </Tooltip>
    ) : (
      <span className="muted">{empty}</span>
    );
  return render;
}

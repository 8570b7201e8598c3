import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button } from 'antd';

/** The 修改 / 删除 buttons of a row in the monitoring tables (删除 asks first, in `onDelete`). */
export function RowOps({
  onEdit,
  onDelete,
  deleteTestId,
}: {
  onEdit: () => void;
  onDelete: () => void;
  deleteTestId?: string;
}) {
  return (
    <span className="mon-ops">
      <Button size="small" type="text" icon={<EditOutlined />} title="修改" onClick={onEdit} />
      <Button
        size="small"
        type="text"
        danger
        icon={<DeleteOutlined />}
        title="删除"
        onClick={onDelete}
        data-testid={deleteTestId}
      />
    </span>
  );
}

import { Result, Tag } from 'antd';
import type { NavItem } from '../nav';

/** A page that is not built yet says so plainly and shows no fake data. */
export function ComingSoon({ item }: { item: NavItem }) {
  return (
    <div className="coming">
      <Result
        icon={<span style={{ fontSize: 56, color: '#1f5fbf' }}>{item.icon}</span>}
        title={
          <span>
            {item.label} <Tag color="gold">建设中</Tag>
          </span>
        }
        subTitle={
          <div style={{ maxWidth: 520, margin: '0 auto' }}>
            <p>该功能正在开发，完成后将在此处提供：</p>
            <p style={{ color: '#374151' }}>{item.plan}</p>
          </div>
        }
      />
    </div>
  );
}

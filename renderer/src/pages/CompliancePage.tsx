import { Tabs } from 'antd';
import { CheckPanel } from './compliance/CheckPanel';
import { OverviewPanel } from './compliance/OverviewPanel';
import { RuleSetsPanel } from './compliance/RuleSetsPanel';
import { RunsPanel } from './compliance/RunsPanel';
import './supervision.css';
import './compliance/compliance.css';

const TABS = ['check', 'overview', 'runs', 'rules'] as const;
type Tab = (typeof TABS)[number];

/**
 * 数据合规: check the files departments report (双公示, five categories, six kinds) before they
 * go to the platforms, send each department its error workbook, and track the rates by month.
 * The tab is kept in the route (#/compliance?tab=overview) so the dashboard can link to it.
 */
export function CompliancePage({ params, onTab }: { params: URLSearchParams; onTab: (tab: string) => void }) {
  const raw = params.get('tab');
  const tab: Tab = TABS.includes(raw as Tab) ? (raw as Tab) : 'check';
  return (
    <div className="page dash" data-testid="compliance-page">
      <div className="page-header">
        <div>
          <h2>数据合规</h2>
          <div className="page-sub">
            报送前检查双公示、五类行政管理信息和六类特定信用信息：必填项、代码表、统一社会信用代码、身份证号、日期、金额和公示期限
          </div>
        </div>
      </div>
      <Tabs
        activeKey={tab}
        onChange={onTab}
        className="cmp-tabs"
        items={[
          { key: 'check', label: <span data-testid="tab-check">检查文件</span>, children: <CheckPanel /> },
          {
            key: 'overview',
            label: <span data-testid="tab-overview">部门合规率</span>,
            children: <OverviewPanel />,
          },
          { key: 'runs', label: <span data-testid="tab-runs">检查记录</span>, children: <RunsPanel /> },
          { key: 'rules', label: <span data-testid="tab-rules">规则集</span>, children: <RuleSetsPanel /> },
        ]}
      />
    </div>
  );
}

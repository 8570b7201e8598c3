import { UserOutlined } from '@ant-design/icons';
import { Layout, Menu, Space, Tag, Typography } from 'antd';
import type { AppInfo, WorkspaceSummary } from '../../main/core/contract/index';
import { ErrorBoundary } from './components/ErrorBoundary';
import { NAV } from './nav';
import { ComingSoon } from './pages/ComingSoon';
import { CompliancePage } from './pages/CompliancePage';
import { DashboardPage } from './pages/DashboardPage';
import { DepartmentsPage } from './pages/DepartmentsPage';
import { IndicatorsPage } from './pages/IndicatorsPage';
import { DispatchPage } from './pages/DispatchPage';
import { LeaguePage } from './pages/LeaguePage';
import { MaterialsPage } from './pages/MaterialsPage';
import { MonitoringPage } from './pages/MonitoringPage';
import { BriefingPage } from './pages/BriefingPage';
import { MaterialEditorRoute } from './pages/material/route';
import { RectificationPage } from './pages/RectificationPage';
import { ReportsPage } from './pages/ReportsPage';
import { SettingsPage } from './pages/SettingsPage';
import { SyncPage } from './pages/SyncPage';
import { SyncIndicator } from './pages/sync/SyncIndicator';
import { TasksPage } from './pages/TasksPage';
import { navigate, useRoute } from './route';

const { Sider, Header, Content } = Layout;

export function Shell({ info, workspace }: { info: AppInfo; workspace: WorkspaceSummary }) {
  const route = useRoute();
  const current = NAV.find((n) => n.key === route.page) ?? NAV.find((n) => n.key === 'dashboard');
  const page = current?.key ?? 'dashboard';

  let content;
  // keyed by the query so a link from 部门单位 or the dashboard starts with its filter
  if (page === 'tasks') content = <TasksPage key={route.params.toString()} params={route.params} />;
  else if (page === 'dashboard') content = <DashboardPage />;
  else if (page === 'dispatch') content = <DispatchPage />;
  else if (page === 'league') content = <LeaguePage />;
  else if (page === 'rectification') content = <RectificationPage params={route.params} />;
  else if (page === 'departments') content = <DepartmentsPage />;
  else if (page === 'indicators') content = <IndicatorsPage params={route.params} />;
  else if (page === 'materials') {
    const id = route.params.get('id');
    content = id ? <MaterialEditorRoute key={id} id={id} /> : <MaterialsPage params={route.params} />;
  } else if (page === 'reports') content = <ReportsPage />;
  else if (page === 'monitoring') content = <MonitoringPage />;
  else if (page === 'compliance')
    content = <CompliancePage params={route.params} onTab={(tab) => navigate('compliance', { tab })} />;
  else if (page === 'briefing') content = <BriefingPage />;
  else if (page === 'sync') content = <SyncPage workspace={workspace} />;
  else if (page === 'settings') content = <SettingsPage info={info} workspace={workspace} />;
  else if (current) content = <ComingSoon item={current} />;

  return (
    <Layout style={{ height: '100vh' }}>
      <Sider width={200} theme="dark">
        <div className="brand">
          <span className="brand-mark">信</span>
          信用创建工作台
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[page]}
          onClick={(e) => navigate(e.key)}
          items={NAV.map((n) => ({
            key: n.key,
            icon: n.icon,
            label: n.ready ? n.label : <span>{n.label}</span>,
          }))}
          style={{ borderInlineEnd: 0 }}
        />
      </Sider>
      <Layout>
        <Header className="app-header">
          <div className="app-header-title">
            <Typography.Text strong style={{ fontSize: 16, flexShrink: 0 }} data-testid="workspace-name">
              {workspace.name}
            </Typography.Text>
            <Tag color="blue" style={{ flexShrink: 0 }}>
              {workspace.city}
            </Tag>
            <Typography.Text type="secondary" ellipsis title={workspace.campaignName}>
              {workspace.campaignName}
            </Typography.Text>
          </div>
          <Space style={{ flexShrink: 0 }} size={16}>
            <SyncIndicator />
            <Space>
              <UserOutlined />
              <Typography.Text>
                {workspace.me ? `${workspace.me.name}（${workspace.me.role}）` : '未设置本机用户'}
              </Typography.Text>
            </Space>
          </Space>
        </Header>
        <Content style={{ minHeight: 0, overflow: 'auto' }}>
          <ErrorBoundary key={page === 'materials' ? `materials:${route.params.get('id') ?? ''}` : page}>
            {content}
          </ErrorBoundary>
        </Content>
      </Layout>
    </Layout>
  );
}

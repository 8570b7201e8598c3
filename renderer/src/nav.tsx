import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  BookOutlined,
  CloudSyncOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FundProjectionScreenOutlined,
  LineChartOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  key: string;
  label: string;
  icon: ReactNode;
  /** Built pages; the others show what is coming (no fake data). */
  ready: boolean;
  /** What the page will do, shown while it is not built yet. */
  plan: string;
}

export const NAV: NavItem[] = [
  { key: 'dashboard', label: '驾驶舱', icon: <DashboardOutlined />, ready: true, plan: '' },
  { key: 'tasks', label: '任务督办', icon: <ProfileOutlined />, ready: true, plan: '' },
  { key: 'dispatch', label: '每周调度', icon: <CalendarOutlined />, ready: true, plan: '' },
  { key: 'league', label: '部门排行', icon: <TrophyOutlined />, ready: true, plan: '' },
  { key: 'rectification', label: '整改清单', icon: <AlertOutlined />, ready: true, plan: '' },
  { key: 'departments', label: '部门单位', icon: <ApartmentOutlined />, ready: true, plan: '' },
  {
    key: 'indicators',
    label: '指标体系',
    icon: <SafetyCertificateOutlined />,
    ready: true,
    plan: '按版本管理示范区评审指标（基础指标、评分指标、加分项），记录牵头部门、佐证清单、自评分和达标状态。',
  },
  {
    key: 'monitoring',
    label: '监测排名',
    icon: <LineChartOutlined />,
    ready: true,
    plan: '录入或导入每月城市信用状况监测结果，跟踪综合得分、排名和五个维度，识别薄弱环节并提出提升任务。',
  },
  {
    key: 'compliance',
    label: '数据合规',
    icon: <AuditOutlined />,
    ready: true,
    plan: '导入部门报送的双公示、五类行政管理信息和六类特定信用信息，校验统一社会信用代码、身份证号、日期和金额，导出错误清单。',
  },
  {
    key: 'materials',
    label: '材料文档',
    icon: <FileTextOutlined />,
    ready: true,
    plan: '工作要点、实施方案、制度文件、会议纪要等材料的离线协同编辑，多台电脑的修改自动合并，支持模板与版本。',
  },
  {
    key: 'reports',
    label: '报告输出',
    icon: <FileDoneOutlined />,
    ready: true,
    plan: '按 GB/T 9704 公文格式生成自评报告、每周调度报告、整改分析报告、排名分析报告和评审材料汇编（docx）。',
  },
  {
    key: 'briefing',
    label: '汇报PPT',
    icon: <FundProjectionScreenOutlined />,
    ready: true,
    plan: '选择期间和章节，一键生成带可编辑原生图表的汇报 PPT，数字与驾驶舱一致。',
  },
  {
    key: 'meetings',
    label: '会议培训',
    icon: <TeamOutlined />,
    ready: false,
    plan: '管理领导小组会议、联席会议和专题培训：议程、参会单位、会议纪要和会后任务。',
  },
  {
    key: 'knowledge',
    label: '知识库',
    icon: <BookOutlined />,
    ready: false,
    plan: '政策文件、标准规范、模板和常见问题，支持中文检索，并可从任务和指标直接引用。',
  },
  {
    key: 'sync',
    label: '同步',
    icon: <CloudSyncOutlined />,
    ready: true,
    plan: '联网时与中心平台同步，三台电脑的修改逐字段合并、文档自动合并，附件按需下载，全程留痕。',
  },
  { key: 'settings', label: '设置', icon: <SettingOutlined />, ready: true, plan: '' },
];

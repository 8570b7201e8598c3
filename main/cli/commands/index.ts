/** Every command of the CLI. A later feature adds its module here (one line). */
import { CommandRegistry } from '../registry';
import { backupCommand, restoreCommand } from './backup';
import { briefingExportCommand } from './briefing';
import {
  complianceCheckCommand,
  complianceReportCommand,
  complianceRulesCommand,
  complianceRulesExportCommand,
  complianceRulesImportCommand,
} from './compliance';
import { dispatchFreezeCommand, dispatchReportCommand, dispatchWeeksCommand } from './dispatch';
import {
  indicatorsExportCommand,
  indicatorsImportCommand,
  indicatorsListCommand,
  indicatorsReadinessCommand,
  indicatorsUseCommand,
} from './indicators';
import { leagueExportCommand } from './league';
import { materialsExportCommand, materialsListCommand } from './materials';
import { monitoringImportCommand, monitoringListCommand, reportsRankingCommand } from './monitoring';
import { rectExportCommand } from './rect';
import { reportsCompileCommand, reportsSelfAssessmentCommand } from './reports';
import { syncCloneCommand, syncLoginCommand, syncRunCommand, syncStatusCommand } from './sync';
import { tasksExportCommand, tasksListCommand } from './tasks';
import { tasksImportCommand } from './tasks-import';
import { templatesCommand } from './templates';
import { workspaceCreateCommand, workspaceInfoCommand } from './workspace';

export function buildRegistry(): CommandRegistry {
  return new CommandRegistry()
    .describeGroup('workspace', '工作区：创建和查看。')
    .describeGroup('tasks', '任务督办：查看、导入和导出任务清单。')
    .describeGroup('league', '部门排行：各单位任务完成率、按时办结率、逾期和平均延误。')
    .describeGroup('dispatch', '每周调度：冻结每周快照，生成每周工作调度报告和单位整改分析报告。')
    .describeGroup('rect', '整改清单：导出整改事项。')
    .describeGroup('indicators', '指标体系：查看指标和准备情况，导入导出指标体系（.xlsx），切换版本。')
    .describeGroup('materials', '材料文档：查看材料库，把材料导出为 GB/T 9704 格式的 Word 文档。')
    .describeGroup('monitoring', '城市信用监测：导入和查看月度监测结果、排名目标和薄弱维度。')
    .describeGroup('briefing', '汇报PPT：按期间和章节生成向市领导汇报的演示文稿（原生图表，带备注）。')
    .describeGroup('sync', '同步：登录中心平台的同步服务器，同步一次，查看状态，在新电脑上取得工作区。')
    .describeGroup(
      'compliance',
      '数据合规检查：检查报送的信用数据文件（双公示、五类、六类），输出合规率和错误明细，查看各单位合规率。',
    )
    .describeGroup('reports', '评审文件：生成自评报告、评审材料汇编和季度排名分析报告（Word 文档）。')
    .register(
      templatesCommand,
      workspaceCreateCommand,
      workspaceInfoCommand,
      backupCommand,
      restoreCommand,
      tasksListCommand,
      tasksImportCommand,
      tasksExportCommand,
      leagueExportCommand,
      dispatchFreezeCommand,
      dispatchWeeksCommand,
      dispatchReportCommand,
      rectExportCommand,
      materialsListCommand,
      materialsExportCommand,
      reportsSelfAssessmentCommand,
      reportsCompileCommand,
      indicatorsListCommand,
      indicatorsReadinessCommand,
      indicatorsImportCommand,
      indicatorsExportCommand,
      indicatorsUseCommand,
      monitoringImportCommand,
      monitoringListCommand,
      reportsRankingCommand,
      briefingExportCommand,
      syncLoginCommand,
      syncRunCommand,
      syncStatusCommand,
      syncCloneCommand,
      complianceCheckCommand,
      complianceRulesCommand,
      complianceRulesExportCommand,
      complianceRulesImportCommand,
      complianceReportCommand,
    );
}

/** Every command of the CLI. A later feature adds its module here (one line). */
import { CommandRegistry } from '../registry';
import { backupCommand, restoreCommand } from './backup';
import { tasksListCommand } from './tasks';
import { templatesCommand } from './templates';
import { workspaceCreateCommand, workspaceInfoCommand } from './workspace';

export function buildRegistry(): CommandRegistry {
  return new CommandRegistry()
    .describeGroup('workspace', '工作区：创建和查看。')
    .describeGroup('tasks', '任务督办。')
    .register(
      templatesCommand,
      workspaceCreateCommand,
      workspaceInfoCommand,
      backupCommand,
      restoreCommand,
      tasksListCommand,
    );
}

/**
 * Handlers of the data-compliance checks. STUB — see /tmp/prompts/store.md.
 */
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { AppError } from './util/errors';

type ComplianceCommand = Extract<keyof Handlers, `compliance.${string}`>;

export function buildComplianceHandlers(ctx: CoreContext): Pick<Handlers, ComplianceCommand> {
  void ctx;
  const todo = (): never => {
    throw new AppError('UNSUPPORTED', '数据合规检查尚未完成');
  };
  return {
    'compliance.ruleSets': todo,
    'compliance.ruleSet': todo,
    'compliance.saveRuleSet': todo,
    'compliance.removeRuleSet': todo,
    'compliance.importRuleSet': todo,
    'compliance.exportRuleSet': todo,
    'compliance.preview': todo,
    'compliance.check': todo,
    'compliance.cancel': todo,
    'compliance.runs': todo,
    'compliance.run': todo,
    'compliance.removeRun': todo,
    'compliance.exportErrors': todo,
    'compliance.overview': todo,
  };
}

/**
 * The bundled starting rule sets (DOMAIN.md §3 and §7.1). STUB — see /tmp/prompts/rules.md.
 */
import type { RuleSetDefinitionInput } from '../contract/compliance';

export const BUILTIN_RULE_SETS: RuleSetDefinitionInput[] = [];

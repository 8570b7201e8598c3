/**
 * The check engine: header matching (name variants, 全角/半角 brackets, spaces), rule-set
 * detection and the compiled row checker. STUB — see /tmp/prompts/rules.md.
 */
import type { RuleSetDefinition } from '../contract/compliance';
import type { CheckerOptions, HeaderMatch, RawRow, RowChecker, StoredRuleSet } from './types';

/** Every rule id a finding can carry, with its Chinese name. */
export const RULES: Record<string, { name: string }> = {};

/** Best header row among `rows` (the file's first rows) for this rule set, or null. */
export function matchHeader(rows: RawRow[], def: RuleSetDefinition): HeaderMatch | null {
  void rows;
  void def;
  throw new Error('matchHeader: not implemented yet');
}

/** The rule set whose fields best match the file's header, with the other plausible ones. */
export function detectRuleSet(
  rows: RawRow[],
  sets: StoredRuleSet[],
): {
  best: { set: StoredRuleSet; match: HeaderMatch } | null;
  candidates: { set: StoredRuleSet; match: HeaderMatch }[];
} {
  void rows;
  void sets;
  throw new Error('detectRuleSet: not implemented yet');
}

export function compileChecker(def: RuleSetDefinition, match: HeaderMatch, opts: CheckerOptions): RowChecker {
  void def;
  void match;
  void opts;
  throw new Error('compileChecker: not implemented yet');
}

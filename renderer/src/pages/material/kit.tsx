/** Shared by the materials library and the editor page: colours, workflow, small helpers. */
import type { ReactNode } from 'react';
import type { MATERIAL_ACTIONS } from '../../../../main/core/contract/labels';
import type { Material } from '../../../../main/core/contract/materials';
import { MATERIAL_TRANSITIONS } from '../../labels';

export type MaterialType = Material['type'];
export type MaterialStatus = Material['status'];
export type MaterialAction = (typeof MATERIAL_ACTIONS)[number];

export const MATERIAL_STATUS_COLOR: Record<MaterialStatus, string> = {
  draft: 'default',
  review: 'gold',
  final: 'success',
};

export const MATERIAL_TYPE_COLOR: Record<MaterialType, string> = {
  work_points: 'blue',
  implementation_plan: 'geekblue',
  regulation: 'purple',
  meeting_minutes: 'cyan',
  training: 'green',
  scenario_design: 'magenta',
  clarification: 'orange',
  self_assessment: 'red',
  improvement_plan: 'volcano',
  other: 'default',
};

/** The workflow buttons of each status, from the contract's MATERIAL_TRANSITIONS (enforced by the core). */
export const MATERIAL_FLOW = Object.fromEntries(
  (['draft', 'review', 'final'] as const).map((st) => [
    st,
    (Object.keys(MATERIAL_TRANSITIONS) as MaterialAction[]).filter((a) =>
      MATERIAL_TRANSITIONS[a].from.includes(st),
    ),
  ]),
) as Record<MaterialStatus, MaterialAction[]>;

/** The text with every occurrence of `term` marked (search hits in excerpts). */
export function highlight(text: string, term: string | undefined): ReactNode {
  if (!term) return text;
  const parts: ReactNode[] = [];
  let from = 0;
  let at = text.indexOf(term);
  while (at >= 0) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{term}</mark>);
    from = at + term.length;
    at = text.indexOf(term, from);
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/** Characters → "约 N 页" on the GB/T 9704 page (22 lines of 28 characters). */
export function pagesOf(chars: number): number {
  return Math.max(1, Math.ceil(chars / (22 * 28)));
}

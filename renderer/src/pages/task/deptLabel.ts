import type { Department } from '../../../../main/core/contract/records';

/** 简称（全称）, or the full name when there is no short one. */
export function deptLabel(d: Department): string {
  return d.shortName ? `${d.shortName}（${d.name}）` : d.name;
}

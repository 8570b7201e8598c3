/** Monthly monitoring results for tests: the five dimension scores and the import workbook's header. */

/** The dimension scores of a month, in the order of the results workbook's columns. */
export const dims = (
  incentive: number,
  system: number,
  culture: number,
  service: number,
  environment: number,
) => ({
  incentive,
  system,
  culture,
  service,
  environment,
});

/** The header row of a monitoring-results workbook (month, score, rank, cities, the five dimensions). */
export const HEADER = [
  '月份',
  '综合得分',
  '排名',
  '参评城市数',
  '守信激励和失信治理',
  '信用制度和基础建设',
  '诚信文化和诚信建设',
  '信用服务和信用创新',
  '信用环境和营商环境',
];

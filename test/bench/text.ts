/** Deterministic Chinese body text for the document benches (the same documents every run). */

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same data every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PHRASES = [
  '全面贯彻落实国家关于社会信用体系建设的决策部署',
  '健全守信联合激励和失信联合惩戒机制',
  '推进政务诚信、商务诚信、社会诚信和司法公信建设',
  '依法依规归集共享各类公共信用信息',
  '行政许可和行政处罚信息在七个工作日内上网公示',
  '建立以信用为基础的新型监管机制',
  '在市场准入、公共服务、招标投标等领域应用信用报告',
  '组织开展信用修复专题培训',
  '推动信易贷、信易批、信易游等守信激励场景落地',
  '各责任单位明确分管领导和信用联络员',
  '按月报送工作进展情况和佐证材料',
  '市社会信用体系建设领导小组办公室定期通报',
  '将信用建设工作纳入年度绩效考核',
  '信用信息共享平台已联通全市五十四个部门',
  '全年归集各类信用信息一百二十余万条',
  '开展诚信宣传进企业、进社区、进学校活动',
];

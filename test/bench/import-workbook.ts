/**
 * A large task-list workbook as departments send it, for the import figure of `npm run bench`:
 * title rows above a two-row header (责任单位 → 牵头单位 | 配合单位), category rows, vertically
 * merged 牵头单位 cells, unit names in every variant (全称, 简称, alias, without the city
 * prefix), two units the workspace does not know, dates as real Excel dates, serial numbers,
 * 2027年3月31日, 2027.3.31, 2027-03-31 and 3月31日, a 合计 row and a 填表说明 footer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { rng } from './text';

const TEMPLATE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../resources/templates/qionghai/departments.json',
);

/** Units not in the template: the import maps them (as a user would in the preview). */
export const UNKNOWN_UNITS = ['琼海市海洋渔业局', '琼海市大数据发展中心'] as const;

const VERBS = [
  '督促',
  '组织',
  '开展',
  '完成',
  '推进',
  '报送',
  '整改',
  '核查',
  '编制',
  '落实',
  '归集',
  '公示',
];
const OBJECTS = [
  '双公示数据',
  '行政许可信息',
  '行政处罚信息',
  '信用承诺书',
  '信用修复申请',
  '城市信用监测指标',
  '守信激励措施',
  '失信惩戒措施',
  '诚信宣传活动',
  '市场主体信用档案',
  '政务诚信评价',
  '信易贷应用场景',
];
const TAILS = ['工作', '情况', '专项行动', '并形成台账', '自查报告', '整改清单', '工作方案'];
const STANDARDS = [
  '提供印发文件和工作台账',
  '数据上报及时率达到100%',
  '形成报告并经分管领导审定',
  '问题整改销号率达到100%',
];
const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Writes a workbook with `rows` task rows (plus title, header, category and footer rows). */
export async function writeTaskWorkbook(file: string, rows: number): Promise<void> {
  const rand = rng(5000);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const depts = JSON.parse(fs.readFileSync(TEMPLATE, 'utf8')) as {
    name: string;
    shortName: string;
    aliases: string[];
  }[];
  const variant = (): string => {
    if (rand() < 0.004) return pick(UNKNOWN_UNITS);
    const d = pick(depts);
    const r = rand();
    if (r < 0.35) return d.name;
    if (r < 0.65) return d.shortName;
    if (r < 0.85) return pick(d.aliases);
    return d.name.replace(/^琼海市/, '');
  };
  const dueCell = (): ExcelJS.CellValue => {
    const m = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const iso = `2027-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const r = rand();
    if (r < 0.3) return new Date(`${iso}T00:00:00Z`);
    if (r < 0.45) return (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
    if (r < 0.65) return `2027年${m}月${day}日`;
    if (r < 0.8) return `2027.${m}.${day}`;
    if (r < 0.95) return iso;
    return `${m}月${day}日`;
  };

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务清单');
  ws.getCell('A1').value = '琼海市社会信用体系建设示范区创建任务清单（汇总）';
  ws.mergeCells('A1:J1');
  ws.getCell('A2').value = '填报单位：琼海市社会信用体系建设领导小组办公室    填报日期：2027年1月5日';
  ws.mergeCells('A2:J2');
  const top = [
    '序号',
    '任务名称',
    '任务内容',
    '完成标准',
    '责任单位',
    '',
    '完成时限',
    '关联指标',
    '优先级',
    '备注',
  ];
  top.forEach((h, i) => {
    if (h) ws.getCell(3, i + 1).value = h;
  });
  for (const c of ['A', 'B', 'C', 'D', 'G', 'H', 'I', 'J']) ws.mergeCells(`${c}3:${c}4`);
  ws.mergeCells('E3:F3');
  ws.getCell('E4').value = '牵头单位';
  ws.getCell('F4').value = '配合单位';

  let r = 5;
  let section = 0;
  let mergeLeft = 0;
  for (let i = 0; i < rows; i++) {
    if (i % 250 === 0) {
      ws.getCell(r, 1).value = `${CN[section % 10]}、第${section + 1}批创建任务`;
      ws.mergeCells(r, 1, r, 10);
      section++;
      r++;
    }
    const verb = pick(VERBS);
    const obj = pick(OBJECTS);
    ws.getCell(r, 1).value = i + 1;
    ws.getCell(r, 2).value = `${verb}${obj}${pick(TAILS)}（第${i + 1}项）`;
    ws.getCell(r, 3).value = `按照示范区创建评审要求，${verb}${obj}，每月跟踪进展。`;
    ws.getCell(r, 4).value = pick(STANDARDS);
    if (mergeLeft > 0) mergeLeft--;
    else {
      ws.getCell(r, 5).value = variant();
      // every so often one 牵头单位 cell spans the next rows (merged down)
      if (rand() < 0.1 && i + 3 < rows && (i + 1) % 250 !== 0 && (i + 2) % 250 !== 0) {
        ws.mergeCells(r, 5, r + 2, 5);
        mergeLeft = 2;
      }
    }
    if (rand() < 0.6)
      ws.getCell(r, 6).value = Array.from({ length: 1 + Math.floor(rand() * 2) }, variant).join('、');
    ws.getCell(r, 7).value = dueCell();
    if (rand() < 0.5) ws.getCell(r, 8).value = `基础-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}`;
    ws.getCell(r, 9).value = rand() < 0.8 ? '一般' : rand() < 0.7 ? '重要' : '紧急';
    r++;
  }
  ws.getCell(r, 1).value = '合计';
  ws.getCell(r, 2).value = `${rows} 项`;
  ws.getCell(r + 2, 1).value = '填表说明：1. 完成时限请填写具体日期；2. 牵头单位只填一个。';
  ws.mergeCells(r + 2, 1, r + 2, 10);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await wb.xlsx.writeFile(file);
}

/** Department-name matching: normalisation, exact/normalised matches, suggestions, list splitting. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bigramDice,
  createDeptMatcher,
  type DeptRef,
  nameSimilarity,
  normalizeDeptName,
  splitDeptList,
} from '../../main/core/departments/match';

interface TemplateDept {
  key: string;
  name: string;
  shortName: string;
  aliases: string[];
  kind: string;
}
const template = JSON.parse(
  readFileSync(new URL('../../resources/templates/qionghai/departments.json', import.meta.url), 'utf8'),
) as TemplateDept[];
const DEPTS: DeptRef[] = template.map((d) => ({
  id: d.key,
  name: d.name,
  shortName: d.shortName,
  aliases: d.aliases,
  kind: d.kind,
}));
const CITY = '琼海市';

describe('normalizeDeptName', () => {
  it.each([
    ['琼海市发展和改革委员会', '发展和改革委员会'],
    [' 琼海市　发展和改革委员会 ', '发展和改革委员会'],
    ['琼海发改委', '发改委'],
    ['市发改委', '发改委'],
    ['琼海市市场监督管理局', '市场监督管理局'],
    ['市市场监管局', '市场监管局'],
    ['琼海市场监管局', '市场监管局'],
    ['市场监督管理局', '市场监督管理局'],
    ['市监局', '市监局'],
    ['中共琼海市委宣传部', '市委宣传部'],
    ['中国共产党琼海市委员会宣传部', '市委员会宣传部'],
    ['琼海市人民政府办公室', '政府办公室'],
    ['市政府办', '政府办'],
    ['琼海市嘉积镇人民政府', '嘉积镇'],
    ['嘉积镇政府', '嘉积镇'],
    ['琼海市人民法院', '法院'],
    ['琼海市彬村山华侨经济区管理委员会', '彬村山华侨经济区管委会'],
    ['琼海市住建局（牵头）', '住建局'],
    ['琼海市住建局(配合)', '住建局'],
    ['市发改委【市信用办】', '发改委(市信用办)'],
    ['ＡＢＣ公司（琼海）', 'ABC公司(琼海)'],
    ['海南省琼海市财政局', '财政局'],
    ['市财政局等相关单位', '财政局'],
    ['“市财政局”', '财政局'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeDeptName(raw, CITY)).toBe(expected);
  });

  it('takes the city from the argument, never a built-in name', () => {
    expect(normalizeDeptName('海口市发展和改革委员会', '海口市')).toBe('发展和改革委员会');
    expect(normalizeDeptName('海口发改委', '海口市')).toBe('发改委');
    expect(normalizeDeptName('琼海市发展和改革委员会', '海口市')).toBe('琼海市发展和改革委员会');
    expect(normalizeDeptName('琼中县教育局', '琼中黎族苗族自治县')).toBe('教育局');
    expect(normalizeDeptName('某某县县委宣传部', '某某县')).toBe('县委宣传部');
  });

  it('keeps party and government bodies apart and never returns empty', () => {
    expect(normalizeDeptName('琼海市委办公室', CITY)).not.toBe(normalizeDeptName('琼海市政府办公室', CITY));
    for (const raw of ['琼海市', '琼海', '市', '中共', '人民政府'])
      expect(normalizeDeptName(raw, CITY)).not.toBe('');
  });
});

describe('createDeptMatcher', () => {
  const m = createDeptMatcher(DEPTS, CITY);

  it('matches names, short names and aliases exactly', () => {
    expect(m.match('琼海市发展和改革委员会')).toEqual({ kind: 'exact', deptId: 'fgw', suggestions: [] });
    expect(m.match('市发改委')).toMatchObject({ kind: 'exact', deptId: 'fgw' });
    expect(m.match('  市信用办 ')).toMatchObject({ kind: 'exact', deptId: 'fgw' });
    expect(m.match('市监局')).toMatchObject({ kind: 'exact', deptId: 'scjgj' });
    expect(m.match('嘉积镇')).toMatchObject({ kind: 'exact', deptId: 'town-jiaji' });
  });

  it.each([
    ['琼海发改委', 'fgw'],
    ['琼海市 住房和城乡建设局', 'zjj'],
    ['琼海市住建局（牵头）', 'zjj'],
    ['琼海人社局', 'rsj'],
    ['市发改委（市信用办）', 'fgw'],
    ['琼海市嘉积镇政府', 'town-jiaji'],
    ['市环保局', 'sthjj'],
    ['市交通局', 'jtysj'],
    ['市自然资源和规划局', 'zrzyj'],
    ['琼海人民检察院', 'jcy'],
    ['（琼海市）市财政局', 'czj'],
  ])('normalised: %s → %s', (raw, id) => {
    expect(m.match(raw)).toMatchObject({ kind: 'normalized', deptId: id, suggestions: [] });
  });

  it('expands common abbreviations for a list without aliases, for any city', () => {
    const bare: DeptRef[] = [
      { id: 'a', name: '海口市市场监督管理局', shortName: null, aliases: [] },
      { id: 'b', name: '海口市发展和改革委员会', shortName: null, aliases: [] },
      { id: 'c', name: '海口市住房和城乡建设局', shortName: null, aliases: [] },
      { id: 'd', name: '海口市人力资源和社会保障局', shortName: null, aliases: [] },
    ];
    const hk = createDeptMatcher(bare, '海口市');
    expect(hk.match('市监局')).toMatchObject({ kind: 'normalized', deptId: 'a' });
    expect(hk.match('海口市市场监管局')).toMatchObject({ kind: 'normalized', deptId: 'a' });
    expect(hk.match('发改委')).toMatchObject({ kind: 'normalized', deptId: 'b' });
    expect(hk.match('海口住建局')).toMatchObject({ kind: 'normalized', deptId: 'c' });
    expect(hk.match('市人社局')).toMatchObject({ kind: 'normalized', deptId: 'd' });
  });

  it('never accepts a typo: suggestions only, best first, at most three', () => {
    const r = m.match('琼海市市场监督管里局');
    expect(r.kind).toBe('none');
    expect(r.deptId).toBeUndefined();
    expect(r.suggestions[0]).toMatchObject({ id: 'scjgj', name: '琼海市市场监督管理局' });
    expect(r.suggestions.length).toBeLessThanOrEqual(3);
    const scores = r.suggestions.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    expect(m.match('人设局').suggestions[0]?.id).toBe('rsj');
    expect(m.match('琼海市卫生健康委').suggestions[0]?.id).toBe('wjw');
    expect(m.match('财政').suggestions[0]?.id).toBe('czj');
  });

  it('treats a name shared by two departments as unmatched, suggesting both', () => {
    const dup: DeptRef[] = [
      { id: 'x', name: '甲市政务服务中心', shortName: '政务中心', aliases: [] },
      { id: 'y', name: '甲市政务服务管理局', shortName: null, aliases: ['政务中心'] },
    ];
    const r = createDeptMatcher(dup, '甲市').match('政务中心');
    expect(r.kind).toBe('none');
    expect(r.suggestions.map((s) => s.id).sort()).toEqual(['x', 'y']);
    expect(r.suggestions[0]?.score).toBe(1);
  });

  it('returns none without suggestions for blanks and unrelated text', () => {
    expect(m.match('   ')).toEqual({ kind: 'none', suggestions: [] });
    expect(m.match('各镇（区）').kind).toBe('none');
    expect(m.match('Zzzzzz').suggestions).toEqual([]);
  });

  it('returns independent copies from its cache', () => {
    const a = m.match('琼海市市场监督管里局');
    a.suggestions.length = 0;
    expect(m.match('琼海市市场监督管里局').suggestions.length).toBeGreaterThan(0);
  });
});

describe('similarity', () => {
  it('scores identical 1, disjoint 0, near names high', () => {
    expect(bigramDice('市场监督管理局', '市场监督管理局')).toBe(1);
    expect(bigramDice('公安局', '教育')).toBe(0);
    expect(nameSimilarity('市场监督管里局', '市场监督管理局')).toBeGreaterThan(0.7);
    expect(nameSimilarity('财政', '财政局')).toBeGreaterThan(0.7);
    expect(nameSimilarity('教育局', '公安局')).toBeLessThan(0.34);
  });
});

describe('splitDeptList', () => {
  it.each([
    [
      '市发改委、市财政局，市税务局;市司法局；市公安局',
      ['市发改委', '市财政局', '市税务局', '市司法局', '市公安局'],
    ],
    ['市发改委\n市财政局\r\n市税务局', ['市发改委', '市财政局', '市税务局']],
    ['市发改委/市财政局', ['市发改委', '市财政局']],
    ['琼海市发改委 琼海市财政局', ['琼海市发改委', '琼海市财政局']],
    ['琼海市　发展和改革委员会', ['琼海市发展和改革委员会']],
    ['1.市发改委 2.市财政局', ['市发改委', '市财政局']],
    ['①市发改委②', ['市发改委②']],
    ['市发改委（牵头，市信用办）、嘉积镇', ['市发改委（牵头，市信用办）', '嘉积镇']],
    ['市发改委、市发改委、', ['市发改委']],
    ['', []],
  ])('%j', (raw, expected) => {
    expect(splitDeptList(raw)).toEqual(expected);
  });
});

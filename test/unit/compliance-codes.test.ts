import { describe, expect, test } from 'vitest';
import {
  USCC_CHARS,
  checkIdNumber,
  checkOrgCode,
  checkUscc,
  convert15To18,
  idCheckChar,
  isValidUscc,
  orgCodeCheckChar,
  usccCheckChar,
} from '../../main/core/compliance/codes';
import { addDays, addMonths, ymdToIso } from '../../main/core/compliance/publicity';

/** A code with positions 9–17 replaced so that only the organisation-code check fails. */
function withBadOrgCheck(code: string): string {
  const body = code.slice(8, 16);
  const good = orgCodeCheckChar(body);
  const bad = good === '1' ? '2' : '1';
  const first17 = code.slice(0, 16) + bad;
  return first17 + usccCheckChar(first17);
}

describe('统一社会信用代码 (GB 32100)', () => {
  test('the standard and DOMAIN samples are valid', () => {
    for (const c of [
      '91350100M000100Y43',
      '91430111MA4L41YT1U',
      '91350200MA2YJ1XR9G',
      '91230500MA1B3N1N2M',
      '11230500001755309F',
    ]) {
      expect(checkUscc(c), c).toMatchObject({ ok: true, failure: null });
      expect(isValidUscc(c)).toBe(true);
    }
  });

  test('91350100M000100Y4Z: wrong check character, 3 expected (Z is also outside the charset)', () => {
    const r = checkUscc('91350100M000100Y4Z');
    expect(r).toMatchObject({ ok: false, failure: 'check', position: 18, char: 'Z', expected: '3' });
    expect(checkUscc('91350100M000100Y44')).toMatchObject({ failure: 'check', expected: '3', char: '4' });
  });

  test('91350203M0001QAY9B fails mod 31 but passes the organisation-code check', () => {
    expect(checkUscc('91350203M0001QAY9B')).toMatchObject({
      ok: false,
      failure: 'check',
      checkOk: false,
      orgCheckOk: true,
    });
  });

  test('a weighted sum divisible by 31 gives check character 0 (the Go pitfall)', () => {
    expect(usccCheckChar('91469002J6F3YMC9G')).toBe('0');
    expect(checkUscc('91469002J6F3YMC9G0').checkOk).toBe(true);
    expect(checkUscc('91469002J6F3YMC9G1')).toMatchObject({ failure: 'check', expected: '0' });
  });

  test('each failure kind says which part failed', () => {
    expect(checkUscc('91350100M000100Y4')).toMatchObject({ failure: 'length' });
    expect(checkUscc('91350100M000100Y433')).toMatchObject({ failure: 'length' });
    expect(checkUscc('91350100m000100Y43')).toMatchObject({
      failure: 'charset',
      position: 9,
      char: 'm',
      charProblem: 'lower_case',
    });
    expect(checkUscc('９1350100M000100Y43')).toMatchObject({
      failure: 'charset',
      position: 1,
      charProblem: 'full_width',
    });
    for (const letter of ['I', 'O', 'Z', 'S', 'V']) {
      expect(checkUscc(`91350100M${letter}00100Y43`), letter).toMatchObject({
        failure: 'charset',
        position: 10,
        charProblem: 'excluded_letter',
      });
    }
    expect(checkUscc('9135A100M000100Y43')).toMatchObject({
      failure: 'area',
      position: 5,
      charProblem: 'not_digit',
    });
    const badOrg = withBadOrgCheck('91350100M000100Y43');
    expect(checkUscc(badOrg)).toMatchObject({
      failure: 'org_check',
      position: 17,
      expected: '4',
      checkOk: true,
    });
    const first17 = '99350100M000100Y4';
    expect(checkUscc(first17 + usccCheckChar(first17))).toMatchObject({
      failure: 'authority',
      position: 1,
      char: '99',
    });
    const y2 = 'Y2350100M000100Y4';
    expect(checkUscc(y2 + usccCheckChar(y2)).failure).toBe('authority');
    const n3 = 'N3350100M000100Y4';
    expect(checkUscc(n3 + usccCheckChar(n3)).ok).toBe(true);
  });

  test('every check character is in the 31-character set', () => {
    for (let i = 0; i < 200; i++) {
      const body = Array.from({ length: 8 }, (_, k) => USCC_CHARS[(i * 7 + k * 13) % 31]).join('');
      const first17 = `91469002${body}${orgCodeCheckChar(body)}`;
      const code = first17 + usccCheckChar(first17);
      expect(checkUscc(code).ok, code).toBe(true);
    }
  });
});

describe('组织机构代码 (GB 11714)', () => {
  test('with and without the hyphen', () => {
    expect(checkOrgCode('M000100Y4').ok).toBe(true);
    expect(checkOrgCode('M000100Y-4').ok).toBe(true);
    expect(checkOrgCode('00175530-9').ok).toBe(true);
  });
  test('check character 10 → X and 11 → 0', () => {
    // Find bodies whose check value is 10 and 11 and confirm the mapping round-trips.
    const seen = new Set<string>();
    for (let n = 0; n < 5000 && seen.size < 11; n++) {
      const body = String(10000000 + n * 7919).slice(0, 8);
      const c = orgCodeCheckChar(body);
      seen.add(c);
      expect(checkOrgCode(body + c).ok).toBe(true);
    }
    expect(seen.has('X')).toBe(true);
    expect(seen.has('0')).toBe(true);
    expect([...seen].every((c) => /^[0-9X]$/.test(c))).toBe(true);
  });
  test('failures', () => {
    expect(checkOrgCode('M000100Y5')).toMatchObject({ ok: false, failure: 'check', expected: '4' });
    expect(checkOrgCode('M00010')).toMatchObject({ failure: 'length' });
    expect(checkOrgCode('m000100Y4')).toMatchObject({
      failure: 'charset',
      position: 1,
      charProblem: 'lower_case',
    });
    expect(checkOrgCode('M000100YA')).toMatchObject({ failure: 'charset', position: 9 });
  });
});

describe('公民身份号码 (GB 11643)', () => {
  test('the standard samples are valid', () => {
    for (const id of [
      '11010519491231002X',
      '440524188001010014',
      '34052419800101001X',
      '370101190102039973',
    ]) {
      expect(checkIdNumber(id, 20261129), id).toMatchObject({ ok: true, lowerX: false, digits: 18 });
    }
  });
  test('lower-case x passes with a warning flag', () => {
    expect(checkIdNumber('11010519491231002x')).toMatchObject({ ok: true, lowerX: true });
  });
  test('15-digit legacy numbers and their conversion', () => {
    expect(checkIdNumber('110105491231002')).toMatchObject({ ok: true, digits: 15 });
    expect(convert15To18('110105491231002')).toBe('11010519491231002X');
    expect(convert15To18('110105491331002')).toBeNull();
    expect(convert15To18('11010519491231002X')).toBeNull();
    expect(checkIdNumber('110105490229002')).toMatchObject({ failure: 'birth' }); // 1949 is not a leap year
  });
  test('failures', () => {
    expect(checkIdNumber('110105194912310021')).toMatchObject({ failure: 'check', expected: 'X', char: '1' });
    expect(checkIdNumber('11010519490231002X')).toMatchObject({ failure: 'birth', birth: 19490231 });
    const future = '1101052030010100' + '1';
    const f17 = future.slice(0, 17);
    expect(checkIdNumber(f17 + idCheckChar(f17), 20261129)).toMatchObject({ failure: 'birth_future' });
    expect(checkIdNumber(f17 + idCheckChar(f17))).toMatchObject({ ok: true }); // no check day given
    const p = '99010519491231002';
    expect(checkIdNumber(p + idCheckChar(p))).toMatchObject({ failure: 'province', char: '99' });
    expect(checkIdNumber('1101051949123100')).toMatchObject({ failure: 'length' });
    expect(checkIdNumber('11010519491231002Y')).toMatchObject({ failure: 'charset', position: 18 });
    expect(checkIdNumber('1101051949A231002X')).toMatchObject({ failure: 'charset', position: 11 });
  });
});

describe('date arithmetic of the publicity table', () => {
  test('months are added with the day clamped to the month end', () => {
    expect(ymdToIso(addMonths(20240131, 1))).toBe('2024-02-29');
    expect(ymdToIso(addMonths(20230410, 36))).toBe('2026-04-10');
    expect(ymdToIso(addMonths(20231115, 3))).toBe('2024-02-15');
    expect(ymdToIso(addDays(20240301, -1))).toBe('2024-02-29');
  });
});

import { checkIdNumber, idNumberCheckChar, isValidIdNumber, normalizeIdNumber } from './cn-id-number';
import { isValidMobile, normalizeMobile } from './cn-mobile';
import { maskAddress, maskFor, maskIdNumber, maskName, maskPhone } from './masking';
import { containsPersonalPattern, findPersonalPatterns } from './personal-patterns';

describe('Chinese resident ID numbers', () => {
  it.each([
    ['11010519491231002X', '1949-12-31'], // the sample number of GB 11643-1999
    ['44030519900101123X', '1990-01-01'],
    ['320583198403176510', '1984-03-17'],
  ])('accepts %s (born %s)', (id, birthDate) => {
    expect(checkIdNumber(id)).toEqual({ valid: true, normalized: id, birthDate });
  });

  it('normalizes a lower-case check character, full-width digits and spaces', () => {
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(isValidIdNumber('110105 1949 1231 002x')).toBe(true);
  });

  it.each([
    ['440305199001011234', 'checksum'], // the masking example: one digit off a valid number
    ['11010519491231002Y', 'format'],
    ['1101051949123100', 'format'],
    ['1101051949123100200', 'format'],
    ['X10105194912310027', 'format'],
    ['99010519491231002X', 'region'],
    ['110105194902300021', 'birth-date'], // 30 February
    ['110105189912310021', 'birth-date'], // before 1900
    ['110105199013010021', 'birth-date'], // month 13
  ])('rejects %s (%s)', (id, problem) => {
    expect(checkIdNumber(id)).toEqual({ valid: false, problem });
  });

  it('rejects a birth date after `today` when one is given, and only then', () => {
    const id = '33010620990101001' + idNumberCheckChar('33010620990101001');
    expect(checkIdNumber(id).valid).toBe(true);
    expect(checkIdNumber(id, { today: '2024-06-01' })).toEqual({ valid: false, problem: 'birth-date' });
  });

  it('computes the ISO 7064 MOD 11-2 check character, including X for remainder 2', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('32058319840317651')).toBe('0');
    expect(() => idNumberCheckChar('1234')).toThrow(TypeError);
  });

  it('does not echo the rejected number in any result', () => {
    expect(JSON.stringify(checkIdNumber('440305199001011234'))).not.toContain('4403');
  });
});

describe('mobile numbers', () => {
  it.each(['13812345678', '+86 138 1234 5678', '0086-13812345678', '19912345678'])('accepts %s', (v) =>
    expect(isValidMobile(v)).toBe(true),
  );
  it.each(['12812345678', '1381234567', '138123456789', '021-12345678', 'abc'])('rejects %s', (v) =>
    expect(isValidMobile(v)).toBe(false),
  );
  it('normalizes to the 11 digits', () => expect(normalizeMobile('+86 138-1234-5678')).toBe('13812345678'));
});

describe('masking', () => {
  it('masks ID numbers, phones and names as staff screens show them', () => {
    expect(maskIdNumber('440305199001011234')).toBe('4403**********1234');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('張三明')).toBe('張*明');
    expect(maskName('張三')).toBe('張*');
    expect(maskName('歐陽小明')).toBe('歐**明');
    expect(maskName('明')).toBe('*');
    expect(maskAddress('廣東省深圳市南山區科技園一路1號')).toBe('廣東省深圳市****');
    expect(maskFor('text', '申請人自述家庭困難，月收入不足三千元')).toBe('***');
  });

  it('keeps no more than the kept fragments for short or odd values', () => {
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskPhone('5678')).toBe('****');
    expect(maskPhone('02112345678901')).toBe('**********8901');
  });
});

describe('findPersonalPatterns', () => {
  it('finds valid ID numbers and mobile numbers in text, by kind and offset only', () => {
    const text = 'worker 11010519491231002X called from 13812345678.';
    expect(findPersonalPatterns(text)).toEqual([
      { kind: 'id-number', index: 7, length: 18 },
      { kind: 'mobile', index: 38, length: 11 },
    ]);
  });

  it('finds the grouped spellings people type', () => {
    expect(findPersonalPatterns('id 110105 1949 1231 002x, tel +86 138-1234-5678')).toEqual([
      { kind: 'id-number', index: 3, length: 21 },
      { kind: 'mobile', index: 30, length: 17 },
    ]);
  });

  it('ignores hashes, uuids, positions and numbers that fail the ID checksum', () => {
    const noise = [
      'hash 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b',
      'event 0190b3f4-7c1e-7a2b-9f00-13812345678a',
      'position 7312345678901234567',
      'id 440305199001011234 fails its checksum',
      'order 213812345678',
    ].join('\n');
    expect(containsPersonalPattern(noise)).toBe(false);
  });
});

/**
 * 居民身份證號碼 (GB 11643-1999): 6-digit region code, birth date YYYYMMDD, 3-digit sequence
 * (odd for men, even for women), one check character computed with ISO 7064 MOD 11-2.
 *
 * Nothing here echoes the number it rejects: validation errors reach logs and API responses,
 * and the number is personal data (PIPL).
 */

/** Weights 2^(17-i) mod 11 of ISO 7064 MOD 11-2 over the first 17 digits. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each remainder of the weighted sum mod 11. */
const CHECK_CHARS = '10X98765432';

/**
 * Province-level codes in use (GB/T 2260), plus 81/82/83 for the residence permits of Hong Kong,
 * Macao and Taiwan residents, whose numbers follow the same format.
 */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
  63, 64, 65, 71, 81, 82, 83,
]);

export type IdNumberProblem = 'format' | 'region' | 'birth-date' | 'checksum';

export type IdNumberCheck =
  | { valid: true; normalized: string; birthDate: string }
  | { valid: false; problem: IdNumberProblem };

/**
 * The canonical spelling: NFKC (full-width digits and Ｘ become ASCII), whitespace removed, the
 * check character upper case. The blind index hashes this form, so 44030…x and 44030…X match.
 */
export const normalizeIdNumber = (raw: string): string => raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/** The check character for the first 17 digits. */
export const idNumberCheckChar = (first17: string): string => {
  if (!/^\d{17}$/.test(first17)) throw new TypeError('idNumberCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
};

const isRealDate = (year: number, month: number, day: number): boolean => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
};

/**
 * Checks an ID number. `today` (YYYY-MM-DD) rejects birth dates in the future; it is a parameter
 * so callers on the write side pass the command's `now` instead of reading a clock.
 */
export const checkIdNumber = (raw: string, options: { today?: string } = {}): IdNumberCheck => {
  if (typeof raw !== 'string') return { valid: false, problem: 'format' };
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return { valid: false, problem: 'format' };
  if (!PROVINCE_CODES.has(Number(id.slice(0, 2)))) return { valid: false, problem: 'region' };
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (year < 1900 || !isRealDate(year, month, day)) return { valid: false, problem: 'birth-date' };
  if (options.today !== undefined && birthDate > options.today.slice(0, 10)) return { valid: false, problem: 'birth-date' };
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return { valid: false, problem: 'checksum' };
  return { valid: true, normalized: id, birthDate };
};

export const isValidIdNumber = (raw: string, options?: { today?: string }): boolean => checkIdNumber(raw, options).valid;

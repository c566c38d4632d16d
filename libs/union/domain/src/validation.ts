import { isLocalDate, type LocalDate } from '@gongzhi/deadlines-domain';
import { isValidAggregateId } from '@gongzhi/kernel';
import { InvalidCreditCode, InvalidDisputeInput, ReasonsRequired } from './labor-dispute.errors';

/** Trimmed text of at most `max` characters; empty is refused unless `optional`. */
export const text = (value: unknown, field: string, max: number, options: { optional?: boolean } = {}): string => {
  const v = typeof value === 'string' ? value.trim() : value === null || value === undefined ? '' : undefined;
  if (v === undefined) throw new InvalidDisputeInput(`${field} must be text`, { field });
  if (v === '' && !options.optional) throw new InvalidDisputeInput(`${field} is required`, { field });
  if (Array.from(v).length > max) throw new InvalidDisputeInput(`${field} is longer than ${max} characters`, { field, max });
  return v;
};

/** Written reasons (Art 29 non-acceptance, 法律援助法 Art 43 refusal): required, not just present. */
export const reasons = (value: unknown, field: string): string => {
  const v = typeof value === 'string' ? value.trim() : '';
  if (v === '') throw new ReasonsRequired(`${field}: written reasons are required`, { field });
  return text(v, field, 2000);
};

export const oneOf = <T extends string>(value: unknown, allowed: readonly T[], field: string): T => {
  if (!allowed.includes(value as T)) throw new InvalidDisputeInput(`${field} must be one of ${allowed.join(', ')}`, { field });
  return value as T;
};

/** Yuan: finite, not negative, at most two decimals. */
export const amount = (value: unknown, field: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e12 || Math.round(value * 100) / 100 !== value) {
    throw new InvalidDisputeInput(`${field} must be an amount in yuan (≥ 0, two decimals at most)`, { field });
  }
  return value;
};

export const wholeNumber = (value: unknown, field: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidDisputeInput(`${field} must be a whole number from ${min} to ${max}`, { field, min, max });
  }
  return value;
};

export const localDate = (value: unknown, field: string): LocalDate => {
  if (!isLocalDate(value)) throw new InvalidDisputeInput(`${field} must be a date (YYYY-MM-DD)`, { field });
  return value;
};

export const identifier = (value: unknown, field: string): string => {
  if (!isValidAggregateId(value)) throw new InvalidDisputeInput(`${field} must be an id (letters, digits, '-', '_')`, { field });
  return value;
};

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of a unified social credit code's first 17 characters (GB 32100-2015 §5). */
export const creditCodeCheckChar = (first17: string): string | undefined => {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i]);
    if (v < 0) return undefined;
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
};

export const isValidCreditCode = (value: unknown): value is string =>
  typeof value === 'string' && value.length === 18 && creditCodeCheckChar(value.slice(0, 17)) === value[17];

export const creditCode = (value: unknown): string => {
  const v = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!isValidCreditCode(v)) throw new InvalidCreditCode('The employer’s unified social credit code is not valid (GB 32100-2015)');
  return v;
};

import { isIsoInstant } from '@gongzhi/kernel';
import { InvalidLeagueInput } from './youth-league.errors';

/** An org unit as a command carries it: its id and its materialized path when the handler looked it up. */
export interface OrgUnitRef {
  orgUnitId: string;
  path: string;
}

export const requireText = (value: unknown, field: string, max = 200): string => {
  if (typeof value !== 'string' || value.trim().length === 0) throw new InvalidLeagueInput(`${field} is required`, { field });
  const text = value.trim();
  if (text.length > max) throw new InvalidLeagueInput(`${field} is longer than ${max} characters`, { field, max });
  return text;
};

export const optionalText = (value: unknown, field: string, max = 2000): string | null =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? null : requireText(value, field, max);

export const requireInstant = (value: unknown, field: string): string => {
  if (!isIsoInstant(value)) throw new InvalidLeagueInput(`${field} must be an ISO-8601 instant with an offset`, { field });
  return new Date(value).toISOString();
};

export const requireInteger = (value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidLeagueInput(`${field} must be an integer from ${min} to ${max}`, { field, min, max });
  }
  return value;
};

const SKILL = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u;

/**
 * Skills are short labels (`first-aid`, `心理疏導`), compared case-insensitively; duplicates are
 * dropped, and the order is fixed, so equal sets give equal events.
 */
export const normalizeSkills = (skills: unknown, field = 'skills'): string[] => {
  if (skills === undefined || skills === null) return [];
  if (!Array.isArray(skills) || skills.length > 20) throw new InvalidLeagueInput(`${field}: at most 20 labels`, { field });
  const out = new Set<string>();
  for (const s of skills) {
    const label = typeof s === 'string' ? s.trim().toLowerCase() : '';
    if (!SKILL.test(label)) throw new InvalidLeagueInput(`${field}: each label has 1 to 40 letters, digits, spaces, '-' or '_'`, { field });
    out.add(label);
  }
  return [...out].sort();
};

export const isPathWithin = (path: string, ancestor: string): boolean => path.startsWith(ancestor);

export const minutesBetween = (from: string, to: string): number => Math.floor((Date.parse(to) - Date.parse(from)) / 60_000);

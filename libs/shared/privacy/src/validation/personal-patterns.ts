import { checkIdNumber } from './cn-id-number';

/**
 * Finds things that look like ID numbers or mobile numbers in free text: log lines, error
 * messages, GraphQL responses (RELIABILITY.md P-3). ID-number candidates must pass the checksum
 * and date checks, so hashes and bigint positions rarely trip it; a hit is reported by kind and
 * offset only, never by value, so the finding itself leaks nothing.
 */
export interface PersonalPatternHit {
  kind: 'id-number' | 'mobile';
  index: number;
  length: number;
}

// Also the grouped spellings people type: `110105 1949 1231 002X`, `138-1234-5678`.
const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{6}[\s-]?\d{4}[\s-]?\d{4}[\s-]?\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE_CANDIDATE = /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?![0-9A-Za-z])/g;

export const findPersonalPatterns = (text: string): PersonalPatternHit[] => {
  const hits: PersonalPatternHit[] = [];
  for (const m of text.matchAll(ID_CANDIDATE)) {
    if (checkIdNumber(m[0].replace(/-/g, '')).valid) hits.push({ kind: 'id-number', index: m.index ?? 0, length: m[0].length });
  }
  for (const m of text.matchAll(MOBILE_CANDIDATE)) hits.push({ kind: 'mobile', index: m.index ?? 0, length: m[0].length });
  return hits;
};

export const containsPersonalPattern = (text: string): boolean => findPersonalPatterns(text).length > 0;

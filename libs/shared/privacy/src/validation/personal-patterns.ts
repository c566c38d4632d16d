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
}

const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE_CANDIDATE = /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?1[3-9]\d{9}(?![0-9A-Za-z])/g;

export const findPersonalPatterns = (text: string): PersonalPatternHit[] => {
  const hits: PersonalPatternHit[] = [];
  for (const m of text.matchAll(ID_CANDIDATE)) {
    if (checkIdNumber(m[0]).valid) hits.push({ kind: 'id-number', index: m.index ?? 0 });
  }
  for (const m of text.matchAll(MOBILE_CANDIDATE)) hits.push({ kind: 'mobile', index: m.index ?? 0 });
  return hits;
};

export const containsPersonalPattern = (text: string): boolean => findPersonalPatterns(text).length > 0;

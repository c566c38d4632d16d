import { randomUUID } from 'node:crypto';
import { InvalidSubjectIdError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Subject ids are random UUIDs (v4, not v7: a v7 id would reveal when the person was first
 * recorded). Only UUIDs are accepted, so nobody can use an ID number or a phone as a subject id
 * and leak it into stream ids, envelopes and audit rows.
 */
export const newSubjectId = (): string => randomUUID();

export const isSubjectId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export const assertSubjectId = (value: unknown): string => {
  if (!isSubjectId(value)) throw new InvalidSubjectIdError();
  return value;
};

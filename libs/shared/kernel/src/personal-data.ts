/**
 * Personal data inside events (RELIABILITY.md §4.2). A decider wraps every personal value it
 * puts into event data with `personalData(subjectId, value)`; before the append, the privacy
 * vault (an EventTransformer) replaces each marker by a ciphertext under that subject's key, and
 * on read turns it back into PersonalData, or into ErasedPersonalData once the key is destroyed.
 * Deciders stay pure: they only ever see these plain objects.
 *
 *   return [{ type: 'DisputeFiled', data: { disputeId, worker: { subjectId, name: personalData(subjectId, input.name) } } }];
 *   // evolve / projections: value.value is the text, or "[已刪除]" once the person was forgotten
 */
export const ERASED_PLACEHOLDER = '[已刪除]';

/** A personal value in clear, as deciders write it and as handlers read it after decryption. */
export interface PersonalData {
  readonly $pii: 'clear';
  /** Opaque id (a UUID) of the person the value belongs to: whose key encrypts it. */
  readonly subjectId: string;
  readonly value: string;
}

/**
 * A personal value whose key is destroyed (the person was forgotten) or missing. `value` holds
 * the placeholder, so code written for PersonalData shows "[已刪除]" instead of crashing.
 */
export interface ErasedPersonalData {
  readonly $pii: 'erased';
  readonly subjectId: string;
  readonly erased: true;
  readonly value: typeof ERASED_PLACEHOLDER;
}

/** What a personal field of an event holds after decoding: the value, or its erasure. */
export type PersonalValue = PersonalData | ErasedPersonalData;

export const personalData = (subjectId: string, value: string): PersonalData => ({ $pii: 'clear', subjectId, value });

export const erasedPersonalData = (subjectId: string): ErasedPersonalData => ({
  $pii: 'erased',
  subjectId,
  erased: true,
  value: ERASED_PLACEHOLDER,
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isPersonalData = (v: unknown): v is PersonalData =>
  isRecord(v) && v.$pii === 'clear' && typeof v.subjectId === 'string' && typeof v.value === 'string';

export const isErasedPersonalData = (v: unknown): v is ErasedPersonalData =>
  isRecord(v) && v.$pii === 'erased' && typeof v.subjectId === 'string';

export const isPersonalValue = (v: unknown): v is PersonalValue => isPersonalData(v) || isErasedPersonalData(v);

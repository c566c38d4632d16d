import type { JsonValue } from '@gongzhi/event-store';
import type { EventTransformer } from '@gongzhi/eventsourcing';
import { isEncryptedEnvelope, fieldPathText, type FieldLocation } from '../keys/envelope';
import type { PersonalDataVault } from '../keys/vault';
import { erasedPersonalData, isErasedPersonalData, isPersonalData, personalData } from '../personal-value';
import { findPersonalPatterns } from '../validation/personal-patterns';

/** The event as the transformer sees it: enough to bind ciphertexts to their place. */
export interface TransformableEvent {
  id: string;
  streamId: string;
  type: string;
  data: unknown;
}

type Path = (string | number)[];

/** Personal data in the clear part of an event (not wrapped with `personalData(...)`). */
export class UnprotectedPersonalDataError extends Error {
  readonly code = 'PRIVACY.UNPROTECTED_PERSONAL_DATA';
  constructor(eventType: string, field: string, kind: 'id-number' | 'mobile') {
    const what = kind === 'id-number' ? 'an ID number' : 'a mobile number';
    super(`${eventType}.${field} looks like ${what} in clear: wrap personal values with personalData(subjectId, value)`);
    this.name = 'UnprotectedPersonalDataError';
  }
}

/** An envelope is bound to the event it was written in; copying it into a new event cannot work. */
export class EnvelopeCopiedError extends Error {
  readonly code = 'PRIVACY.ENVELOPE_COPIED';
  constructor(eventType: string, field: string) {
    super(`${eventType}.${field} holds an encrypted envelope: decode events before deciding, so new events carry personalData(...)`);
    this.name = 'EnvelopeCopiedError';
  }
}

export interface PersonalDataTransformerOptions {
  /**
   * Refuse to append an event whose clear part contains something that passes the ID-number
   * checksum or looks like a mobile number (default true): a decider that forgot `personalData`
   * fails in its first test instead of writing PII that can never be erased.
   */
  rejectUnmarkedPatterns?: boolean;
}

/** Returned by a leaf visitor to descend into the value instead of replacing it. */
const KEEP = Symbol('keep');

const mapTree = async (value: unknown, path: Path, leaf: (v: unknown, path: Path) => Promise<unknown | typeof KEEP>): Promise<unknown> => {
  const replaced = await leaf(value, path);
  if (replaced !== KEEP) return replaced;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await mapTree(value[i], [...path, i], leaf));
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await mapTree(v, [...path, k], leaf);
    return out;
  }
  return value;
};

/**
 * Event-level encryption (RELIABILITY.md §4.2): `encode` replaces each `personalData(subjectId,
 * value)` in an event's data by an envelope encrypted with the subject's current key, its
 * associated data binding the event id, stream id and field path; `decode` turns envelopes back
 * into PersonalData, or into Erased when the key is destroyed or missing (counted, never thrown).
 * Decode runs before upcasting: field paths are those of the stored shape.
 */
export class PersonalDataTransformer implements EventTransformer {
  private readonly rejectUnmarked: boolean;

  constructor(
    private readonly vault: PersonalDataVault,
    options: PersonalDataTransformerOptions = {},
  ) {
    this.rejectUnmarked = options.rejectUnmarkedPatterns ?? true;
  }

  async encode(event: TransformableEvent): Promise<JsonValue> {
    const at = (field: Path): FieldLocation => ({ eventId: event.id, streamId: event.streamId, field });
    return (await mapTree(event.data, [], async (v, path) => {
      if (isPersonalData(v)) return this.vault.encrypt(v.subjectId, v.value, at(path));
      // A decider may copy an erased value from its state: it stays a PII-free marker.
      if (isErasedPersonalData(v)) return { $pii: 'erased', subjectId: v.subjectId, erased: true };
      if (isEncryptedEnvelope(v)) throw new EnvelopeCopiedError(event.type, fieldPathText(path));
      if (this.rejectUnmarked && typeof v === 'string') {
        const hit = findPersonalPatterns(v)[0];
        if (hit) throw new UnprotectedPersonalDataError(event.type, fieldPathText(path), hit.kind);
      }
      return KEEP;
    })) as JsonValue;
  }

  async decode(event: TransformableEvent): Promise<unknown> {
    return mapTree(event.data, [], async (v, path) => {
      if (isEncryptedEnvelope(v)) {
        const result = await this.vault.decrypt(v, { eventId: event.id, streamId: event.streamId, field: path });
        return result.status === 'clear' ? personalData(v.subjectId, result.value) : erasedPersonalData(v.subjectId);
      }
      if (isErasedPersonalData(v)) return erasedPersonalData(v.subjectId);
      return KEEP;
    });
  }

  /** A copy of a recorded event with its data decoded: for projections reading the log directly. */
  async decodeEvent<E extends TransformableEvent>(event: E): Promise<E> {
    return { ...event, data: await this.decode(event) };
  }
}

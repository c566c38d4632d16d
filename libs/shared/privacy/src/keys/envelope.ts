import { canonicalJson } from '@gongzhi/event-store';
import { AEAD_ALG } from '../crypto/aead';

/**
 * How a personal field is stored inside an event's data. Only the subject id and key version are
 * in clear: enough to find the key, nothing about the person.
 */
export interface EncryptedEnvelope {
  readonly $pii: 'enc';
  readonly subjectId: string;
  readonly keyVersion: number;
  readonly alg: typeof AEAD_ALG;
  /** base64 */
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export const isEncryptedEnvelope = (v: unknown): v is EncryptedEnvelope => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  return (
    e.$pii === 'enc' &&
    typeof e.subjectId === 'string' &&
    typeof e.keyVersion === 'number' &&
    typeof e.iv === 'string' &&
    typeof e.ciphertext === 'string' &&
    typeof e.tag === 'string'
  );
};

/**
 * Where a value lives: the associated data binds the ciphertext to it, so an envelope copied into
 * another event, stream or field fails to decrypt instead of showing someone else's data there.
 */
export interface FieldLocation {
  eventId: string;
  streamId: string;
  /** Path of the field inside the event's data, e.g. ['worker', 'idNumber'] or ['members', 0, 'phone']. */
  field: readonly (string | number)[];
}

export const fieldPathText = (field: readonly (string | number)[]): string =>
  field.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

export const envelopeAad = (
  location: FieldLocation,
  header: { subjectId: string; keyVersion: number; alg: string },
): Buffer =>
  Buffer.from(
    `gongzhi.pii.v1\n${canonicalJson({
      alg: header.alg,
      eventId: location.eventId,
      field: [...location.field],
      keyVersion: header.keyVersion,
      streamId: location.streamId,
      subjectId: header.subjectId,
    })}`,
    'utf8',
  );

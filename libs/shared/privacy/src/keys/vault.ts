import { randomBytes } from 'node:crypto';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { AEAD_ALG, KEY_BYTES, open, packSealed, seal, unpackSealed } from '../crypto/aead';
import { KeyMaterialError, keyId, type PrivacyKeys } from '../crypto/key-material';
import { PersonalDataIntegrityError, SubjectErasedError } from '../errors';
import { PrivacyMetrics } from '../metrics';
import { DataSubjectRow, SubjectKeyRow } from './entities';
import { envelopeAad, fieldPathText, type EncryptedEnvelope, type FieldLocation } from './envelope';
import { assertSubjectId, newSubjectId } from './subject-id';
import { withWriteLock } from '../write-lock';

export type DecryptResult =
  | { status: 'clear'; value: string }
  /** The subject was forgotten: every key version destroyed. */
  | { status: 'erased' }
  /** No key row at all (a lost or reset key store): shown like an erasure, counted apart. */
  | { status: 'missing' };

export interface VaultOptions {
  clock?: () => Date;
  metrics?: PrivacyMetrics;
  /**
   * How long unwrapped keys stay in memory. Another process that erases a subject is noticed at
   * the latest after this long; this process forgets at once.
   */
  cacheTtlMs?: number;
}

interface CachedSubject {
  loadedAt: number;
  erased: boolean;
  /** version → DEK, or null once destroyed. */
  keys: Map<number, Buffer | null>;
  current?: number;
}

export interface SubjectKeyInfo {
  version: number;
  createdAt: string;
  destroyedAt: string | null;
}

/**
 * Plaintexts are padded (ISO/IEC 7816-4: 0x80 then zeros) to a multiple of 16 bytes, so the
 * ciphertext does not tell a two-character name from a four-character one.
 */
const PAD_BLOCK = 16;
const pad = (text: string): Buffer => {
  const raw = Buffer.from(text, 'utf8');
  const padded = Buffer.alloc((Math.floor(raw.length / PAD_BLOCK) + 1) * PAD_BLOCK);
  raw.copy(padded);
  padded[raw.length] = 0x80;
  return padded;
};
const unpad = (padded: Buffer): string | undefined => {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  return end >= 0 && padded[end] === 0x80 ? padded.subarray(0, end).toString('utf8') : undefined;
};

const dekAad = (subjectId: string, version: number): Buffer => Buffer.from(`gongzhi.dek.v1\n${subjectId}\n${version}`, 'utf8');

/**
 * Per-subject data keys (AES-256-GCM), wrapped by the KEK and stored in the read store
 * (`subject_keys`). Destroying a subject's keys is what erases its personal data from every event
 * that was ever written (crypto-shredding, RELIABILITY.md §4.2).
 */
export class PersonalDataVault {
  readonly metrics: PrivacyMetrics;
  private readonly clock: () => Date;
  private readonly ttl: number;
  private readonly kekId: string;
  private readonly cache = new Map<string, CachedSubject>();
  private readonly pending = new Map<string, Promise<number>>();

  constructor(
    private readonly ds: DataSource,
    private readonly keys: Pick<PrivacyKeys, 'kek'>,
    options: VaultOptions = {},
  ) {
    if (keys.kek.length !== KEY_BYTES) throw new KeyMaterialError('The KEK must be 32 bytes');
    this.clock = options.clock ?? (() => new Date());
    this.metrics = options.metrics ?? new PrivacyMetrics();
    this.ttl = options.cacheTtlMs ?? 30_000;
    this.kekId = keyId(keys.kek);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** Records a new data subject and returns its opaque id. Keys are created on first use. */
  async registerSubject(subjectId: string = newSubjectId(), manager?: EntityManager): Promise<string> {
    assertSubjectId(subjectId);
    const insert = (m: EntityManager) =>
      m.createQueryBuilder().insert().into(DataSubjectRow).values({ subjectId, createdAt: this.now(), erasedAt: null }).orIgnore().execute();
    if (manager) await insert(manager);
    else await withWriteLock(this.ds, () => insert(this.ds.manager));
    return subjectId;
  }

  async isErased(subjectId: string): Promise<boolean> {
    const row = await this.ds.manager.findOneBy(DataSubjectRow, { subjectId });
    return row?.erasedAt != null;
  }

  private wrap(subjectId: string, version: number, dek: Buffer): string {
    return packSealed(seal(this.keys.kek, dek, dekAad(subjectId, version)));
  }

  private unwrap(row: SubjectKeyRow): Buffer {
    if (row.kekId !== this.kekId) {
      throw new KeyMaterialError(
        `Key v${row.version} of subject ${row.subjectId} was wrapped by KEK ${row.kekId}, but the configured KEK is ${this.kekId}`,
      );
    }
    if (row.wrappedDek === null) throw new Error(`Key v${row.version} of subject ${row.subjectId} is destroyed`);
    try {
      return open(this.keys.kek, unpackSealed(row.wrappedDek), dekAad(row.subjectId, row.version));
    } catch {
      throw new PersonalDataIntegrityError({ subjectId: row.subjectId, keyVersion: row.version });
    }
  }

  private async load(subjectId: string, fresh = false): Promise<CachedSubject> {
    const hit = this.cache.get(subjectId);
    if (hit && !fresh && this.clock().getTime() - hit.loadedAt < this.ttl) return hit;
    const [subject, rows] = await Promise.all([
      this.ds.manager.findOneBy(DataSubjectRow, { subjectId }),
      this.ds.manager.find(SubjectKeyRow, { where: { subjectId }, order: { version: 'ASC' } }),
    ]);
    const keys = new Map<number, Buffer | null>();
    let current: number | undefined;
    for (const row of rows) {
      const live = row.destroyedAt === null && row.wrappedDek !== null;
      keys.set(row.version, live ? this.unwrap(row) : null);
      if (live) current = row.version;
    }
    const entry: CachedSubject = { loadedAt: this.clock().getTime(), erased: subject?.erasedAt != null, keys, current };
    this.cache.set(subjectId, entry);
    return entry;
  }

  /** Forgets cached keys: after this process destroys or rotates keys, or another one did. */
  evict(subjectId?: string): void {
    if (subjectId === undefined) this.cache.clear();
    else this.cache.delete(subjectId);
  }

  /**
   * Adds key version `current + 1` (v1 for a new subject) and makes it the one new data is
   * encrypted with. Older versions keep decrypting until the subject is erased (P-5).
   */
  async rotateKey(subjectId: string): Promise<number> {
    assertSubjectId(subjectId);
    const entry = await this.load(subjectId, true);
    if (entry.erased) throw new SubjectErasedError(subjectId);
    const next = Math.max(0, ...entry.keys.keys()) + 1;
    await this.registerSubject(subjectId);
    try {
      const row = {
        subjectId,
        version: next,
        wrappedDek: this.wrap(subjectId, next, randomBytes(KEY_BYTES)),
        kekId: this.kekId,
        createdAt: this.now(),
        destroyedAt: null,
      };
      await withWriteLock(this.ds, () => this.ds.manager.insert(SubjectKeyRow, row));
    } catch (e) {
      // Another process created this version at the same moment (primary key): use theirs.
      const again = await this.load(subjectId, true);
      if (!again.keys.has(next)) throw e;
    }
    const after = await this.load(subjectId, true);
    if (after.erased) {
      // Erased while this version was being created: shred it too before refusing.
      await withWriteLock(this.ds, () => this.ds.transaction((m) => this.destroyKeys(subjectId, m)));
      throw new SubjectErasedError(subjectId);
    }
    return after.current ?? next;
  }

  /** The version new data of this subject is encrypted with, creating v1 on first use. */
  async currentVersion(subjectId: string): Promise<number> {
    assertSubjectId(subjectId);
    const entry = await this.load(subjectId);
    if (entry.erased) throw new SubjectErasedError(subjectId);
    if (entry.current !== undefined) return entry.current;
    // One creation per subject at a time in this process; the primary key settles races between processes.
    let creating = this.pending.get(subjectId);
    if (!creating) {
      creating = this.rotateKey(subjectId).finally(() => this.pending.delete(subjectId));
      this.pending.set(subjectId, creating);
    }
    return creating;
  }

  async encrypt(subjectId: string, plaintext: string, location: FieldLocation): Promise<EncryptedEnvelope> {
    const keyVersion = await this.currentVersion(subjectId);
    const dek = (await this.load(subjectId)).keys.get(keyVersion);
    if (!dek) throw new SubjectErasedError(subjectId);
    const header = { subjectId, keyVersion, alg: AEAD_ALG };
    const sealed = seal(dek, pad(plaintext), envelopeAad(location, header));
    return {
      $pii: 'enc',
      ...header,
      iv: sealed.iv.toString('base64'),
      ciphertext: sealed.ciphertext.toString('base64'),
      tag: sealed.tag.toString('base64'),
    };
  }

  /**
   * The clear value, or why there is none. Never throws for a destroyed or missing key (P-2);
   * throws PersonalDataIntegrityError when the ciphertext does not authenticate.
   */
  async decrypt(envelope: EncryptedEnvelope, location: FieldLocation): Promise<DecryptResult> {
    let entry = await this.load(envelope.subjectId);
    if (!entry.keys.has(envelope.keyVersion) && !entry.erased) entry = await this.load(envelope.subjectId, true);
    const dek = entry.keys.get(envelope.keyVersion);
    if (dek === undefined || dek === null) {
      const reason = dek === null || entry.erased ? 'erased' : 'missing';
      this.metrics.unavailable.inc({ reason });
      return { status: reason };
    }
    try {
      const clear = unpad(
        open(
          dek,
          {
            iv: Buffer.from(envelope.iv, 'base64'),
            ciphertext: Buffer.from(envelope.ciphertext, 'base64'),
            tag: Buffer.from(envelope.tag, 'base64'),
          },
          envelopeAad(location, envelope),
        ),
      );
      if (clear === undefined) throw new Error('bad padding');
      return { status: 'clear', value: clear };
    } catch {
      throw new PersonalDataIntegrityError({
        subjectId: envelope.subjectId,
        keyVersion: envelope.keyVersion,
        eventId: location.eventId,
        field: fieldPathText(location.field),
      });
    }
  }

  /**
   * Crypto-shredding: nulls every wrapped key version and marks the subject erased, in the given
   * transaction when one is passed. Idempotent. Returns the versions destroyed by this call.
   */
  async destroyKeys(subjectId: string, manager?: EntityManager): Promise<number[]> {
    assertSubjectId(subjectId);
    if (!manager) return withWriteLock(this.ds, () => this.ds.transaction((m) => this.destroyKeys(subjectId, m)));
    const at = this.now();
    const live = await manager.find(SubjectKeyRow, { where: { subjectId, destroyedAt: IsNull() }, order: { version: 'ASC' } });
    await manager.update(SubjectKeyRow, { subjectId, destroyedAt: IsNull() }, { wrappedDek: null, destroyedAt: at });
    await this.registerSubject(subjectId, manager);
    await manager.update(DataSubjectRow, { subjectId, erasedAt: IsNull() }, { erasedAt: at });
    this.evict(subjectId);
    return live.map((r) => r.version);
  }

  async keyVersions(subjectId: string): Promise<SubjectKeyInfo[]> {
    const rows = await this.ds.manager.find(SubjectKeyRow, { where: { subjectId }, order: { version: 'ASC' } });
    return rows.map((r) => ({ version: r.version, createdAt: r.createdAt, destroyedAt: r.destroyedAt }));
  }
}

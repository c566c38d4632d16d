import { Registry } from 'prom-client';
import { randomPrivacyKeys, KeyMaterialError } from '../crypto/key-material';
import { PersonalDataIntegrityError, SubjectErasedError, InvalidSubjectIdError } from '../errors';
import { PrivacyMetrics } from '../metrics';
import { sqliteStore, type TestStore } from '../test-support/stores';
import { SubjectKeyRow } from './entities';
import type { FieldLocation } from './envelope';
import { newSubjectId } from './subject-id';
import { PersonalDataVault } from './vault';

const at = (field: string, eventId = '0190b3f4-7c1e-7a2b-9f00-000000000001'): FieldLocation => ({
  eventId,
  streamId: 'union.labor-dispute-0190b3f4-7c1e-7a2b-9f00-0000000000aa',
  field: ['worker', field],
});

describe('PersonalDataVault', () => {
  let store: TestStore;
  let metrics: PrivacyMetrics;
  let vault: PersonalDataVault;
  const keys = randomPrivacyKeys();

  beforeEach(async () => {
    store = await sqliteStore();
    metrics = new PrivacyMetrics(new Registry());
    vault = new PersonalDataVault(store.ds, keys, { metrics });
  });
  afterEach(() => store.cleanup());

  it('encrypts a field so the stored envelope holds no plaintext, and decrypts it at the same place', async () => {
    const subject = newSubjectId();
    const envelope = await vault.encrypt(subject, '11010519491231002X', at('idNumber'));
    expect(envelope).toMatchObject({ $pii: 'enc', subjectId: subject, keyVersion: 1, alg: 'A256GCM' });
    expect(JSON.stringify(envelope)).not.toContain('11010519491231002X');
    expect(await vault.decrypt(envelope, at('idNumber'))).toEqual({ status: 'clear', value: '11010519491231002X' });
  });

  it('pads plaintexts, so ciphertext lengths do not tell names apart (and empty values round-trip)', async () => {
    const subject = newSubjectId();
    const short = await vault.encrypt(subject, '張三', at('name'));
    const long = await vault.encrypt(subject, '歐陽小明', at('name', '0190b3f4-7c1e-7a2b-9f00-000000000004'));
    expect(Buffer.from(short.ciphertext, 'base64').length).toBe(16);
    expect(Buffer.from(long.ciphertext, 'base64').length).toBe(16);
    const empty = await vault.encrypt(subject, '', at('note'));
    expect(await vault.decrypt(empty, at('note'))).toEqual({ status: 'clear', value: '' });
    expect(await vault.decrypt(long, at('name', '0190b3f4-7c1e-7a2b-9f00-000000000004'))).toEqual({ status: 'clear', value: '歐陽小明' });
  });

  it('refuses an envelope moved to another field or event (the associated data binds it)', async () => {
    const subject = newSubjectId();
    const envelope = await vault.encrypt(subject, '13812345678', at('phone'));
    await expect(vault.decrypt(envelope, at('name'))).rejects.toThrow(PersonalDataIntegrityError);
    await expect(vault.decrypt(envelope, at('phone', '0190b3f4-7c1e-7a2b-9f00-000000000002'))).rejects.toThrow(PersonalDataIntegrityError);
    await expect(vault.decrypt({ ...envelope, ciphertext: Buffer.from('tampered').toString('base64') }, at('phone'))).rejects.toThrow(
      PersonalDataIntegrityError,
    );
    try {
      await vault.decrypt(envelope, at('name'));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('13812345678');
    }
  });

  it('P-5: after rotation new values use v2, v1 values still decrypt, until the subject is shredded', async () => {
    const subject = newSubjectId();
    const old = await vault.encrypt(subject, '張三明', at('name'));
    expect(await vault.rotateKey(subject)).toBe(2);
    const fresh = await vault.encrypt(subject, '張三明', at('name', '0190b3f4-7c1e-7a2b-9f00-000000000003'));
    expect([old.keyVersion, fresh.keyVersion]).toEqual([1, 2]);
    expect(await vault.decrypt(old, at('name'))).toEqual({ status: 'clear', value: '張三明' });
    expect(await vault.decrypt(fresh, at('name', '0190b3f4-7c1e-7a2b-9f00-000000000003'))).toEqual({ status: 'clear', value: '張三明' });

    expect(await vault.destroyKeys(subject)).toEqual([1, 2]);
    expect(await vault.decrypt(old, at('name'))).toEqual({ status: 'erased' });
    expect(await vault.decrypt(fresh, at('name', '0190b3f4-7c1e-7a2b-9f00-000000000003'))).toEqual({ status: 'erased' });
    expect(await vault.keyVersions(subject)).toEqual([
      expect.objectContaining({ version: 1, destroyedAt: expect.any(String) }),
      expect.objectContaining({ version: 2, destroyedAt: expect.any(String) }),
    ]);
    const rows = await store.ds.manager.find(SubjectKeyRow, { where: { subjectId: subject } });
    expect(rows.map((r) => r.wrappedDek)).toEqual([null, null]);
    expect(await metrics.unavailableCount('erased')).toBe(2);
  });

  it('refuses new data for an erased subject, and destroying again is a no-op', async () => {
    const subject = newSubjectId();
    await vault.encrypt(subject, '張三明', at('name'));
    await vault.destroyKeys(subject);
    await expect(vault.encrypt(subject, '張三明', at('name'))).rejects.toThrow(SubjectErasedError);
    await expect(vault.rotateKey(subject)).rejects.toThrow(SubjectErasedError);
    expect(await vault.destroyKeys(subject)).toEqual([]);
  });

  it('P-2 at the vault: a key row that is gone reads as missing, counted, without an exception', async () => {
    const subject = newSubjectId();
    const envelope = await vault.encrypt(subject, '13812345678', at('phone'));
    await store.ds.manager.delete(SubjectKeyRow, { subjectId: subject });
    vault.evict();
    expect(await vault.decrypt(envelope, at('phone'))).toEqual({ status: 'missing' });
    expect(await metrics.unavailableCount('missing')).toBe(1);
  });

  it('notices an erasure made by another process once its cache entry expires', async () => {
    let now = Date.parse('2024-05-01T00:00:00Z');
    const clock = () => new Date(now);
    const a = new PersonalDataVault(store.ds, keys, { metrics, clock, cacheTtlMs: 1000 });
    const b = new PersonalDataVault(store.ds, keys, { metrics, clock });
    const subject = newSubjectId();
    const envelope = await a.encrypt(subject, '張三明', at('name'));
    await b.destroyKeys(subject);
    expect((await a.decrypt(envelope, at('name'))).status).toBe('clear'); // cached in a for up to 1 s
    now += 1001;
    expect((await a.decrypt(envelope, at('name'))).status).toBe('erased');
  });

  it('fails loudly, not as an erasure, when the configured KEK is not the one that wrapped the keys', async () => {
    const subject = newSubjectId();
    const envelope = await vault.encrypt(subject, '張三明', at('name'));
    const other = new PersonalDataVault(store.ds, randomPrivacyKeys(), { metrics });
    await expect(other.decrypt(envelope, at('name'))).rejects.toThrow(KeyMaterialError);
  });

  it('creates one v1 key when many fields of a new subject are encrypted at once', async () => {
    const subject = newSubjectId();
    const envelopes = await Promise.all(Array.from({ length: 8 }, (_, i) => vault.encrypt(subject, `v${i}`, at(`f${i}`))));
    expect(new Set(envelopes.map((e) => e.keyVersion))).toEqual(new Set([1]));
    expect(await vault.keyVersions(subject)).toHaveLength(1);
  });

  it('accepts only UUIDs as subject ids, so no ID number can become one', async () => {
    await expect(vault.encrypt('11010519491231002X', 'x', at('name'))).rejects.toThrow(InvalidSubjectIdError);
  });
});

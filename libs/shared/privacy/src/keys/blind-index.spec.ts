import { Registry } from 'prom-client';
import { randomPrivacyKeys } from '../crypto/key-material';
import { InvalidIdNumberError } from '../errors';
import { PrivacyMetrics } from '../metrics';
import { sqliteStore, type TestStore } from '../test-support/stores';
import { BlindIndex } from './blind-index';
import { BlindIndexRow } from './entities';
import { PersonalDataVault } from './vault';

describe('BlindIndex', () => {
  let store: TestStore;
  let index: BlindIndex;
  const keys = randomPrivacyKeys();

  beforeEach(async () => {
    store = await sqliteStore();
    const vault = new PersonalDataVault(store.ds, keys, { metrics: new PrivacyMetrics(new Registry()) });
    index = new BlindIndex(store.ds, keys.indexKey, vault);
  });
  afterEach(() => store.cleanup());

  it('answers "has this worker filed before?" by ID number, however it is spelled', async () => {
    const first = await index.subjectFor('id-number', '11010519491231002X');
    expect(first.known).toBe(false);
    const again = await index.subjectFor('id-number', '110105 1949 1231 002x');
    expect(again).toEqual({ subjectId: first.subjectId, known: true });
    expect(await index.findSubject('id-number', '44030519900101123X')).toBeUndefined();
  });

  it('stores only an HMAC under its own key: neither the number nor a plain hash of it', async () => {
    const { subjectId } = await index.subjectFor('id-number', '11010519491231002X');
    const rows = await store.ds.manager.find(BlindIndexRow);
    expect(rows).toEqual([expect.objectContaining({ kind: 'id-number', subjectId })]);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('11010519491231002X');
    const otherKey = new BlindIndex(store.ds, randomPrivacyKeys().indexKey, undefined as never);
    expect(otherKey.hash('id-number', '11010519491231002X')).not.toBe(rows[0].hash);
  });

  it('settles concurrent first filings of one person on one subject', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => index.subjectFor('id-number', '44030519900101123X')));
    expect(new Set(results.map((r) => r.subjectId)).size).toBe(1);
    expect(results.filter((r) => !r.known)).toHaveLength(1);
  });

  it('forgets the subject when its rows are deleted (erasure)', async () => {
    const { subjectId } = await index.subjectFor('id-number', '11010519491231002X');
    await index.add(subjectId, 'mobile', '+86 138 1234 5678');
    expect(await index.findSubject('mobile', '13812345678')).toBe(subjectId);
    expect(await index.deleteForSubject(subjectId)).toBe(2);
    expect(await index.findSubject('id-number', '11010519491231002X')).toBeUndefined();
    expect(await index.findSubject('mobile', '13812345678')).toBeUndefined();
  });

  it('rejects an invalid number without echoing it', async () => {
    await expect(index.subjectFor('id-number', '440305199001011234')).rejects.toThrow(InvalidIdNumberError);
    await expect(index.subjectFor('id-number', '440305199001011234')).rejects.not.toThrow(/4403/);
  });
});

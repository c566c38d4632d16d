import { Registry } from 'prom-client';
import { personalData } from '@gongzhi/kernel';
import { randomPrivacyKeys } from '../crypto/key-material';
import { PersonalDataIntegrityError } from '../errors';
import { newSubjectId } from '../keys/subject-id';
import { PersonalDataVault } from '../keys/vault';
import { PrivacyMetrics } from '../metrics';
import { sqliteStore, type TestStore } from '../test-support/stores';
import { EnvelopeCopiedError, PersonalDataTransformer, UnprotectedPersonalDataError } from './personal-data-transformer';

const event = (id: string, data: unknown) => ({ id, streamId: 'test.worker-w1', type: 'WorkerRegistered', data });
const E1 = '0190b3f4-7c1e-7a2b-9f00-000000000001';
const E2 = '0190b3f4-7c1e-7a2b-9f00-000000000002';

describe('PersonalDataTransformer', () => {
  let store: TestStore;
  let transformer: PersonalDataTransformer;
  const subject = newSubjectId();

  beforeEach(async () => {
    store = await sqliteStore();
    transformer = new PersonalDataTransformer(new PersonalDataVault(store.ds, randomPrivacyKeys(), { metrics: new PrivacyMetrics(new Registry()) }));
  });
  afterEach(() => store.cleanup());

  it('encrypts every marker, however deep, and leaves the clear part as it was', async () => {
    const data = {
      workerId: 'w1',
      amount: 12800,
      members: [{ role: 'applicant', phone: personalData(subject, '13812345678') }],
      worker: { name: personalData(subject, '張三明'), idNumber: personalData(subject, '11010519491231002X') },
    };
    const stored = (await transformer.encode(event(E1, data))) as any;
    expect(stored.workerId).toBe('w1');
    expect(stored.amount).toBe(12800);
    expect(stored.members[0].role).toBe('applicant');
    expect(stored.members[0].phone).toMatchObject({ $pii: 'enc', subjectId: subject, keyVersion: 1 });
    expect(JSON.stringify(stored)).not.toMatch(/13812345678|張三明|11010519491231002X/);
    expect(await transformer.decode(event(E1, stored))).toEqual(data);
  });

  it('binds each envelope to its field: swapping two fields is detected, not silently shown', async () => {
    const stored = (await transformer.encode(
      event(E1, { a: personalData(subject, '張三明'), b: personalData(subject, '李四光') }),
    )) as Record<string, unknown>;
    await expect(transformer.decode(event(E1, { a: stored.b, b: stored.a }))).rejects.toThrow(PersonalDataIntegrityError);
    await expect(transformer.decode(event(E2, stored))).rejects.toThrow(PersonalDataIntegrityError);
  });

  it('refuses an event that carries an ID number or phone in clear, naming the field but not the value', async () => {
    const attempt = transformer.encode(event(E1, { workerId: 'w1', note: 'call 13812345678' }));
    await expect(attempt).rejects.toThrow(UnprotectedPersonalDataError);
    await expect(attempt).rejects.toThrow('WorkerRegistered.note looks like a mobile number in clear');
    await expect(transformer.encode(event(E1, { contact: { id: '11010519491231002X' } }))).rejects.toThrow(/contact\.id looks like an ID number/);
    await expect(transformer.encode(event(E1, { ids: ['11010519491231002X'] }))).rejects.not.toThrow(/1101/);
  });

  it('can be told to let unmarked patterns through (a context whose ids look like phone numbers)', async () => {
    const lenient = new PersonalDataTransformer(new PersonalDataVault(store.ds, randomPrivacyKeys(), { metrics: new PrivacyMetrics(new Registry()) }), {
      rejectUnmarkedPatterns: false,
    });
    await expect(lenient.encode(event(E1, { ticket: '13812345678' }))).resolves.toEqual({ ticket: '13812345678' });
  });

  it('refuses to copy a stored envelope into a new event (it could never decrypt there)', async () => {
    const stored = (await transformer.encode(event(E1, { a: personalData(subject, '張三明') }))) as Record<string, unknown>;
    await expect(transformer.encode(event(E2, { a: stored.a }))).rejects.toThrow(EnvelopeCopiedError);
  });
});

import { erasedPersonalData, personalData } from '@gongzhi/kernel';
import { assertNoPersonalData, findPersonalData, PersonalDataLeakError } from './personal-data-guard';

const envelope = { $pii: 'enc', subjectId: 's1', keyVersion: 1, alg: 'A256GCM', iv: 'aXY=', ciphertext: 'Y3Q=', tag: 'dGFn' };

describe('personal data guard', () => {
  it.each([
    ['an encrypted envelope', { reporter: { name: envelope } }, '$.reporter.name', 'encrypted-envelope'],
    ['a PersonalData marker', { callers: [personalData('s1', '李四')] }, '$.callers[0]', 'personal-data'],
    ['an erased marker', { name: erasedPersonalData('s1') }, '$.name', 'personal-data'],
    ['any other $pii object', { x: { $pii: 'v2', blob: 'zz' } }, '$.x', 'pii-marker'],
    ['an ID number in text', { note: '身份證 11010519491231002X 已核' }, '$.note', 'id-number'],
    ['a mobile number in text', { contact: '138-1234-5678' }, '$.contact', 'mobile'],
  ])('refuses %s', (_what, payload, path, kind) => {
    expect(findPersonalData(payload)).toEqual([{ path, kind }]);
    expect(() => assertNoPersonalData('SomethingHappened', payload)).toThrow(PersonalDataLeakError);
  });

  it('names the path and kind but never the value', () => {
    try {
      assertNoPersonalData('CallerAdded', { caller: personalData('s1', '王五 13912345678') }, 'data');
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(PersonalDataLeakError);
      expect((e as Error).message).toBe('Refused to publish CallerAdded: personal data at data.caller (personal-data)');
      expect((e as PersonalDataLeakError).code).toBe('INTEGRATION.PERSONAL_DATA_REFUSED');
    }
  });

  it('lets ids, statuses, times, codes and org paths through', () => {
    const payload = {
      incidentId: '0197a3c2-5b1e-7f00-8000-3f2b1c4d5e6f',
      ticketNumber: 'SZ20260506-000123',
      status: 'Dispatched',
      receivedAt: '2026-05-06T01:15:05.000Z',
      timeLimitWorkingDays: 3,
      orgUnitPath: 'root.wujiang.songling.chengzhong',
      channels: ['organization', 'social'],
    };
    expect(findPersonalData(payload)).toEqual([]);
  });
});

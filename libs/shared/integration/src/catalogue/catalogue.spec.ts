import { IntegrationEventRegistry, type IntegrationEventMapping } from '../outbound/registry';
import { toIntegrationMessage } from '../outbound/integration-message';
import { findPersonalData } from '../outbound/personal-data-guard';
import { INTEGRATION_CATALOGUE } from './index';

const envelope = (subjectId: string) => ({ $pii: 'enc', subjectId, keyVersion: 1, alg: 'A256GCM', iv: 'aXY=', ciphertext: 'Y3Q=', tag: 'dGFn' });

describe('integration catalogue', () => {
  const registry = new IntegrationEventRegistry(INTEGRATION_CATALOGUE);

  it('registers without clashes and covers the contexts that publish', () => {
    expect(registry.contexts()).toEqual(['community', 'privacy', 'union', 'youth-league']);
    expect(registry.mappings().length).toBeGreaterThan(40);
  });

  it('publishes a hotline work order without the caller, the description or the address', () => {
    const mapping = registry.mappingFor('HotlineWorkOrderReceived') as IntegrationEventMapping;
    const message = toIntegrationMessage(
      {
        id: 'e1',
        streamId: 'community.incident-0197a3c2-5b1e-7f00-8000-3f2b1c4d5e6f',
        type: 'HotlineWorkOrderReceived',
        revision: 0,
        position: 7n,
        data: {
          incidentId: '0197a3c2-5b1e-7f00-8000-3f2b1c4d5e6f',
          ticketNumber: 'SZ20260506000123',
          matterType: 'report',
          hotlineCategory: '市容環境/井蓋',
          category: { code: 'component.public-facilities.manhole-cover', kind: 'component', majorCode: 'public-facilities', majorName: '公用設施', minorCode: 'manhole-cover', minorName: '井蓋', deadlinePolicyId: 'p', catalogueVersion: 1 },
          communityId: 'c-chengzhong',
          gridId: null,
          location: { address: '中山路12號3單元', latitude: 31.1, longitude: 120.6 },
          description: '住戶張先生反映井蓋缺失，電話13812345678',
          callerRef: 'C-778812',
          reporter: { subjectId: 's1', name: envelope('s1'), phone: envelope('s1'), confidential: false, wantsReply: true },
          timeLimitWorkingDays: 3,
          dispatchedAt: '2026-05-06T01:15:00.000Z',
          receivedAt: '2026-05-06T01:15:05.000Z',
        },
        metadata: { orgUnitPath: 'root.wujiang.songling.chengzhong', occurredAt: '2026-05-06T01:15:05.000Z' },
        recordedAt: new Date('2026-05-06T01:15:05.100Z'),
      },
      mapping,
      (c) => `gongzhi.${c}.events.v1`,
    );
    expect(message.topic).toBe('gongzhi.community.events.v1');
    expect(message.event.type).toBe('gongzhi.community.incident.hotline-work-order-received.v1');
    expect(message.event.data).toEqual({
      incidentId: '0197a3c2-5b1e-7f00-8000-3f2b1c4d5e6f',
      ticketNumber: 'SZ20260506000123',
      matterType: 'report',
      hotlineCategory: '市容環境/井蓋',
      categoryCode: 'component.public-facilities.manhole-cover',
      communityId: 'c-chengzhong',
      gridId: null,
      timeLimitWorkingDays: 3,
      dispatchedAt: '2026-05-06T01:15:00.000Z',
      receivedAt: '2026-05-06T01:15:05.000Z',
      orgUnitPath: 'root.wujiang.songling.chengzhong',
    });
    const text = String(message.message.value);
    for (const secret of ['張先生', '13812345678', '中山路', 'C-778812', 'ciphertext', 's1']) expect(text).not.toContain(secret);
  });

  it('publishes an erasure with the subject id and time only', () => {
    const message = toIntegrationMessage(
      {
        id: 'e2',
        streamId: 'privacy.subject-5f0c7a3e-8a55-4a8e-9d67-0e6d1d2f3a4b',
        type: 'SubjectErased',
        revision: 0,
        position: 9n,
        data: { subjectId: '5f0c7a3e-8a55-4a8e-9d67-0e6d1d2f3a4b', basis: 'PIPL Art 47(1) request 2026-17', requestedBy: 'admin-7' },
        metadata: { orgUnitPath: 'root', occurredAt: '2026-05-07T02:00:00.000Z' },
        recordedAt: new Date('2026-05-07T02:00:00.100Z'),
      },
      registry.mappingFor('SubjectErased') as IntegrationEventMapping,
      (c) => `gongzhi.${c}.events.v1`,
    );
    expect(message.topic).toBe('gongzhi.privacy.events.v1');
    expect(message.event).toMatchObject({ type: 'gongzhi.privacy.subject.erased.v1', subject: '5f0c7a3e-8a55-4a8e-9d67-0e6d1d2f3a4b' });
    expect(message.event.data).toEqual({ subjectId: '5f0c7a3e-8a55-4a8e-9d67-0e6d1d2f3a4b', erasedAt: '2026-05-07T02:00:00.000Z', orgUnitPath: 'root' });
    expect(findPersonalData(message.event)).toEqual([]);
  });
});

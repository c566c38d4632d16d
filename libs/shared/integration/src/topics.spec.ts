import { INBOUND_DLQ_TOPIC, INBOUND_WORK_ORDERS_TOPIC, contextTopic, integrationTopicSpecs } from './topics';

describe('integration topics', () => {
  it('names one outbound topic per context plus the inbound and dead-letter topics, with at least 3 partitions and a retention', () => {
    const specs = integrationTopicSpecs(['union', 'community', 'union']);
    expect(specs.map((s) => s.topic)).toEqual(['gongzhi.community.events.v1', 'gongzhi.union.events.v1', INBOUND_WORK_ORDERS_TOPIC, INBOUND_DLQ_TOPIC]);
    for (const s of specs) {
      expect(s.partitions).toBeGreaterThanOrEqual(3);
      expect(s.retentionMs).toBeGreaterThan(0);
      expect(s.cleanupPolicy).toBe('delete');
    }
    expect(specs[0].retentionMs).toBe(30 * 24 * 3600 * 1000);
  });

  it('refuses fewer than 3 partitions and non-kebab context names', () => {
    expect(() => integrationTopicSpecs(['union'], { partitions: 1 })).toThrow('at least 3 partitions');
    expect(() => contextTopic('Union')).toThrow('kebab-case');
  });
});

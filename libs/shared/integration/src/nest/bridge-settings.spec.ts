import { KafkaBridgeConfigError, kafkaBridgeSettingsFromEnv } from './bridge-settings';

describe('kafkaBridgeSettingsFromEnv', () => {
  it('is off without KAFKA_BROKERS', () => {
    expect(kafkaBridgeSettingsFromEnv({})).toBeUndefined();
    expect(kafkaBridgeSettingsFromEnv({ KAFKA_BROKERS: '  ' })).toBeUndefined();
  });

  it('reads brokers, switches and topic settings with defaults', () => {
    expect(kafkaBridgeSettingsFromEnv({ KAFKA_BROKERS: '127.0.0.1:19092, kafka-2:9092', KAFKA_INBOUND: 'false', KAFKA_OUTBOUND_RETENTION_DAYS: '14' })).toEqual({
      brokers: ['127.0.0.1:19092', 'kafka-2:9092'],
      clientId: 'gongzhi-bridge',
      relay: true,
      inbound: false,
      relayName: 'kafka-relay',
      inboundGroup: 'gongzhi-inbound-work-orders',
      topics: { partitions: undefined, replicationFactor: undefined, outboundRetentionMs: 14 * 86_400_000, inboundRetentionMs: undefined, deadLetterRetentionMs: undefined },
    });
  });

  it('reports every problem at once', () => {
    try {
      kafkaBridgeSettingsFromEnv({ KAFKA_BROKERS: 'nohostport', KAFKA_RELAY: 'maybe', KAFKA_TOPIC_PARTITIONS: '1' });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(KafkaBridgeConfigError);
      expect((e as KafkaBridgeConfigError).problems).toEqual([
        'KAFKA_BROKERS: "nohostport" is not host:port',
        'KAFKA_RELAY must be true or false (got "maybe")',
        'KAFKA_TOPIC_PARTITIONS must be an integer ≥ 3 (got "1")',
      ]);
    }
  });
});

import { BridgeConfigError, loadBridgeConfig } from './config';

describe('loadBridgeConfig', () => {
  it('needs KAFKA_BROKERS and reads the stores like the platform', () => {
    expect(loadBridgeConfig({ KAFKA_BROKERS: '127.0.0.1:19092', DATA_DIR: '/srv/gongzhi' }, '/')).toMatchObject({
      port: 4100,
      dataDir: '/srv/gongzhi',
      eventStore: { kind: 'sqlite', file: '/srv/gongzhi/events.sqlite' },
      readStore: { kind: 'sqlite', file: '/srv/gongzhi/read.sqlite' },
      kafka: { brokers: ['127.0.0.1:19092'], relay: true, inbound: true },
    });
    expect(
      loadBridgeConfig({ KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'postgres', READ_STORE: 'postgres', DATABASE_URL: 'postgres://u@db/gongzhi' }, '/'),
    ).toMatchObject({ eventStore: { kind: 'postgres', url: 'postgres://u@db/gongzhi' }, readStore: { kind: 'postgres', url: 'postgres://u@db/gongzhi' } });
  });

  it('lists every problem', () => {
    expect(() => loadBridgeConfig({ EVENT_STORE: 'postgres', KAFKA_RELAY: 'perhaps' }, '/')).toThrow(BridgeConfigError);
    try {
      loadBridgeConfig({ EVENT_STORE: 'postgres' }, '/');
    } catch (e) {
      expect((e as BridgeConfigError).problems).toEqual(['KAFKA_BROKERS is required (e.g. 127.0.0.1:19092)', 'EVENT_STORE_URL or DATABASE_URL must be a postgres:// URL']);
    }
  });
});

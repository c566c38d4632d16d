import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { describeWithKafka, kafkaTestBrokers } from '@gongzhi/testing';
import { KafkaBridgeService } from '@gongzhi/integration';
import { uniqueName, waitUntil } from '@gongzhi/messaging-kafkajs/testing';
import { BridgeAppModule } from './bridge-app.module';
import { loadBridgeConfig } from './config';

/**
 * The kafka-bridge process as `main.ts` builds it (stores from the environment, privacy,
 * community handlers, the bridge), on fresh SQLite stores and the shared broker. The inbound
 * consumer stays off here: its group would share the real inbound topic with a local demo.
 */
describeWithKafka()('kafka-bridge app', () => {
  let app: INestApplication;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-bridge-app-'));
    const config = loadBridgeConfig({
      KAFKA_BROKERS: kafkaTestBrokers().join(','),
      KAFKA_INBOUND: 'false',
      KAFKA_RELAY_NAME: uniqueName('relay'),
      DATA_DIR: dir,
      BRIDGE_PORT: '0',
    });
    app = await NestFactory.create(BridgeAppModule.forRoot(config), { logger: false });
    await app.init();
    await app.get(KafkaBridgeService).whenStarted();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, creates its topics, runs the relay and reports health and metrics', async () => {
    await waitUntil(() => app.get(KafkaBridgeService).status().relay?.state === 'running', 10_000, 'the relay running');
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.body).toMatchObject({ topicsReady: true, relay: { state: 'running', position: '0', withheld: 0 }, inbound: { enabled: false } });
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('gongzhi_relay_lag_events 0');
    expect(metrics.text).toContain('gongzhi_relay_published_total 0');
  });
});

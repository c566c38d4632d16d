import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BridgeAppModule } from './bridge-app.module';
import { BridgeConfigError, loadBridgeConfig, type BridgeConfig } from './config';

/** `npx nx run kafka-bridge:serve`: the Kafka bridge as a process of its own. */
const main = async (): Promise<void> => {
  let config: BridgeConfig;
  try {
    config = loadBridgeConfig();
  } catch (e) {
    if (e instanceof BridgeConfigError) {
      process.stderr.write(`${e.message}\n\nSee tools/kafka/README.md "Kafka integration".\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = new ConsoleLogger('KafkaBridge', { json: true });
  const app = await NestFactory.create(BridgeAppModule.forRoot(config), { logger });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.log(`Kafka bridge on ${config.kafka.brokers.join(',')}: relay ${config.kafka.relay ? 'on' : 'off'}, inbound ${config.kafka.inbound ? 'on' : 'off'}; health at http://${config.host}:${config.port}/health`);
};

main().catch((e) => {
  process.stderr.write(`The Kafka bridge failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { resolveAuthOptions, type PlatformConfig } from '@gongzhi/platform-core';
import { GraphqlPassThroughFilter } from './graphql/graphql-exception.filter';

export interface CreatePlatformAppOptions {
  logDestination?: NodeJS.WritableStream;
  logLevel?: string;
  /** KAFKA_* variables; the e2e tests pass none, so they never start the Kafka bridge. */
  kafkaEnv?: Record<string, string | undefined>;
}

/** Builds the platform app (not listening yet): used by main.ts and the e2e tests alike. */
export const createPlatformApp = async (
  config: PlatformConfig,
  options: CreatePlatformAppOptions = {},
): Promise<INestApplication> => {
  const module = AppModule.forRoot(config, {
    auth: resolveAuthOptions(config),
    logDestination: options.logDestination,
    logLevel: options.logLevel,
    kafkaEnv: options.kafkaEnv,
  });
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // One explicit limit for every body; larger requests get 413 before any parsing work.
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidUnknownValues: false }));
  app.useGlobalFilters(new GraphqlPassThroughFilter(app.get(HttpAdapterHost).httpAdapter));
  app.enableShutdownHooks();
  await app.init();
  return app;
};

import type { Server } from 'node:http';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { resolveAuthOptions, type PlatformConfig } from '@gongzhi/platform-core';
import { GraphqlPassThroughFilter } from './graphql/graphql-exception.filter';
import { requestTimeout } from './http/request-timeout';

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
  // Before the body parser, so a body that trickles in counts against the limit too.
  app.use(
    requestTimeout(config.requestTimeoutMs, (r) =>
      app.get(Logger).warn({ msg: 'request timed out', ...r, timeoutMs: config.requestTimeoutMs }),
    ),
  );
  // One explicit limit for every body; larger requests get 413 before any parsing work.
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.useGlobalPipes(new ValidationPipe({ transform: true, forbidUnknownValues: false }));
  app.useGlobalFilters(new GraphqlPassThroughFilter(app.get(HttpAdapterHost).httpAdapter));
  app.enableShutdownHooks();
  await app.init();
  // Node's own receive limits as a backstop behind the middleware (which answers first, with a
  // body the client can read): headers within the limit, the whole request a little after it.
  const server = app.getHttpServer() as Server;
  server.headersTimeout = Math.min(server.headersTimeout, config.requestTimeoutMs);
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  return app;
};

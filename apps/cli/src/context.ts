import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { PlatformCoreModule, ProjectionsHost, type PlatformConfig } from '@gongzhi/platform-core';

export interface CliContext {
  app: INestApplicationContext;
  store: EventStore;
  commandBus: CommandBus;
  projections: ProjectionsHost;
  close(): Promise<void>;
}

/**
 * The platform's core (same stores, contexts, projections) without its HTTP edge. Logs go to
 * stderr at warn level so stdout carries only the command's output.
 */
export const openContext = async (config: PlatformConfig, options: { runProjections?: boolean } = {}): Promise<CliContext> => {
  const app = await NestFactory.createApplicationContext(
    PlatformCoreModule.forRoot(config, {
      runProjections: options.runProjections ?? false,
      logDestination: process.stderr,
      logLevel: process.env.LOG_LEVEL ?? 'warn',
    }),
    { logger: false, abortOnError: false },
  );
  await app.init();
  return {
    app,
    store: app.get<EventStore>(EVENT_STORE),
    commandBus: app.get(CommandBus),
    projections: app.get(ProjectionsHost),
    close: () => app.close(),
  };
};

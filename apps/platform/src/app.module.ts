import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { TerminusModule } from '@nestjs/terminus';
import { Logger } from 'nestjs-pino';
import { AuthModule, bearerToken, TokenVerifier, type AuthOptions } from '@gongzhi/auth';
import { personalDataRedactionPlugin } from '@gongzhi/privacy-graphql';
import type { PlatformConfig } from '@gongzhi/platform-core';
import { GraphiqlController } from './graphiql/graphiql.controller';
import { graphqlOptions } from './graphql/graphql-options';
import { HistoryResolver } from './history/history.resolver';
import { HealthController } from './observability/health.controller';
import { MetricsService, PlatformCoreModule, type PlatformCoreOptions } from '@gongzhi/platform-core';
import { CONTEXT_GRAPHQL_MODULES } from './graphql/context-modules';
import { kafkaBridgeModulesFromEnv } from '@gongzhi/kafka-bridge-wiring';

export interface AppModuleOptions extends Partial<PlatformCoreOptions> {
  /** Verified-token settings; the development secret is resolved by the caller (see jwt-secret.ts). */
  auth: AuthOptions;
  /** KAFKA_* variables (main.ts passes process.env): with KAFKA_BROKERS set, the Kafka bridge runs in-process. */
  kafkaEnv?: Record<string, string | undefined>;
}

/** The embedded platform: the core plus the HTTP edge (GraphQL, GraphiQL, health, metrics). */
@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformCoreModule.forRoot(config, { runProjections: options.runProjections ?? true, ...options }),
        AuthModule.forRoot(options.auth),
        TerminusModule.forRoot({ logger: false }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [Logger, TokenVerifier],
          useFactory: (logger: Logger, tokens: TokenVerifier) =>
            graphqlOptions({
              production: config.production,
              logInternalError: ({ error, ...entry }) =>
                logger.error({ ...entry, err: error, msg: 'GraphQL request failed with an internal error' }),
              extraPlugins: [personalDataRedactionPlugin()],
              rateLimit: {
                ...config.rateLimit,
                // Only a verified subject gets a budget of its own: a forged `sub` must not spend someone else's.
                identify: async (req) => {
                  const token = bearerToken(req.headers?.authorization as string | undefined);
                  return token ? (await tokens.verify(token)).sub : undefined;
                },
                onLimited: (entry) => logger.warn({ ...entry, msg: 'GraphQL request refused: query budget spent' }),
              },
            }),
        }),
        ...CONTEXT_GRAPHQL_MODULES,
        // Outbound relay and inbound work orders (tools/kafka/README.md); nothing without KAFKA_BROKERS.
        ...kafkaBridgeModulesFromEnv(options.kafkaEnv ?? {}, { metrics: { inject: [MetricsService], useFactory: (m: MetricsService) => m.registry } }),
      ],
      controllers: [HealthController, ...(config.production ? [] : [GraphiqlController])],
      providers: [HistoryResolver],
    };
  }
}

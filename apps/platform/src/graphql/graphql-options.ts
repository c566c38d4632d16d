import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloDriver } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  DocumentCosts,
  errorHandlingPlugin,
  formatGraphqlError,
  gongzhiScalarsMap,
  rateLimitPlugin,
  TokenBuckets,
  type ErrorLogEntry,
  type RateLimitPluginOptions,
} from '@gongzhi/graphql';

/** Query limits (RELIABILITY.md §3). Exported so tests probe the real values. */
export const QUERY_LIMITS = {
  maxDepth: 8,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  // GraphiQL's introspection query is ~900 tokens; ordinary operations stay far below.
  maxTokens: 2000,
} as const;

export interface GraphqlOptionsInput {
  production: boolean;
  logInternalError: (entry: ErrorLogEntry) => void;
  extraPlugins?: NonNullable<ApolloDriverConfig['plugins']>;
  /** Query-cost budgets per minute (0: off), and how a request's user is known. */
  rateLimit?: Pick<RateLimitPluginOptions, 'identify' | 'onLimited'> & { userCostPerMinute: number; ipCostPerMinute: number };
}

/**
 * Apollo Server 5 settings, each set explicitly: several of Apollo's defaults depend on
 * NODE_ENV, and production mode here comes only from PRODUCTION.
 */
export const graphqlOptions = ({ production, logInternalError, extraPlugins = [], rateLimit }: GraphqlOptionsInput): ApolloDriverConfig => {
  // The rate limiter charges the very cost the per-query limit checks.
  const costs = new DocumentCosts();
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, exposeLimits: false, flattenFragments: true },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, exposeLimits: false, onAccept: [costs.onAccept] },
    maxAliases: { n: QUERY_LIMITS.maxAliases, exposeLimits: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, exposeLimits: false },
    maxTokens: { n: QUERY_LIMITS.maxTokens, exposeLimits: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();

  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { scalarsMap: gongzhiScalarsMap },
    // Our /graphiql replaces Apollo's landing page (which would load from a CDN).
    playground: false,
    graphiql: false,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    maxRecursiveSelections: true,
    // Our formatter needs the raw HttpExceptions (ValidationPipe, guards), not Nest's rewrite.
    autoTransformHttpErrors: false,
    formatError: formatGraphqlError,
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      errorHandlingPlugin({ logInternalError }),
      ...(rateLimit
        ? [
            rateLimitPlugin({
              costs,
              perUser: new TokenBuckets({ capacity: rateLimit.userCostPerMinute, periodMs: 60_000 }),
              perIp: new TokenBuckets({ capacity: rateLimit.ipCostPerMinute, periodMs: 60_000 }),
              identify: rateLimit.identify,
              onLimited: rateLimit.onLimited,
            }),
          ]
        : []),
      ...extraPlugins,
    ],
    context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
  };
};

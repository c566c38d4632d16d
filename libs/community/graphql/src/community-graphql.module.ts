import { Module } from '@nestjs/common';
import { CommunityMutationsResolver } from './community-mutations.resolver';
import { CommunityQueriesResolver } from './community-queries.resolver';

/**
 * The community context's GraphQL API. Needs, in the app: CommunityModule (global),
 * CqrsModule.forRoot(), AuthModule (the global guard that puts the principal on the request) and
 * a GraphQL context exposing `req`; PrivacyModule, when present, unmasks reporters for callers
 * allowed to (and audits it).
 */
@Module({ providers: [CommunityQueriesResolver, CommunityMutationsResolver] })
export class CommunityGraphqlModule {}

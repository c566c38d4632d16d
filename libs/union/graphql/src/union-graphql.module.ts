import { Module } from '@nestjs/common';
import { UnionModule } from '@gongzhi/union';
import { LaborDisputeMutationsResolver } from './labor-dispute-mutations.resolver';
import { DisputeWorkerResolver, LaborDisputeResolver } from './labor-dispute.resolver';

/**
 * The union context's GraphQL API. Needs, in the app: CqrsModule.forRoot(), AuthModule (the
 * global guard), EventSourcingModule, the org context (ORG_DIRECTORY), a read-store DataSource
 * and a GraphQL context exposing `req`; PrivacyModule to show personal fields unmasked (with audit).
 */
@Module({
  imports: [UnionModule.forRoot()],
  providers: [LaborDisputeResolver, DisputeWorkerResolver, LaborDisputeMutationsResolver],
})
export class UnionGraphqlModule {}

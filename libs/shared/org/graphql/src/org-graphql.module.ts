import { Module } from '@nestjs/common';
import { OrgMutationsResolver } from './org-mutations.resolver';
import { OrgUnitResolver } from './org-unit.resolver';
import { RoleAssignmentResolver, StaffResolver } from './staff.resolver';

/**
 * The org context's GraphQL API. Needs, in the app: OrgModule (global), CqrsModule.forRoot(),
 * AuthModule (the global guard that puts the principal on the request) and a GraphQL context
 * exposing `req`.
 */
@Module({
  providers: [OrgUnitResolver, StaffResolver, RoleAssignmentResolver, OrgMutationsResolver],
})
export class OrgGraphqlModule {}

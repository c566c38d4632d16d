import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentUser, type Principal } from '@gongzhi/auth';
import { BadUserInputError, type ConnectionShape, decodeCursor, PageArgs, pageSize, paginateArray, toConnection } from '@gongzhi/graphql';
import { GetOrgUnitQuery, ListOrgUnitsQuery, OrgReadModel, type OrgUnitRow } from '@gongzhi/org';
import { orgLoaders } from './org.loaders';
import { OrgUnit, OrgUnitConnection, Viewer } from './org.types';

/**
 * Reads of the tree. Every one goes through the scoped read model: a unit outside the caller's
 * subtree is NOT_FOUND by id, absent from lists and children, and a null parent.
 */
@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readModel: OrgReadModel,
  ) {}

  @Query(() => Viewer, { description: 'Who the token says the caller is, and where in the tree.' })
  viewer(@CurrentUser() principal: Principal): Viewer {
    return {
      userId: principal.userId,
      roles: [...principal.roles],
      orgUnitId: principal.orgUnitId,
      orgUnitPath: principal.orgUnitPath,
    };
  }

  @Query(() => OrgUnit, { description: 'An org unit in the caller’s scope (NOT_FOUND otherwise).' })
  orgUnit(@Args('id', { type: () => ID }) id: string, @CurrentUser() principal: Principal): Promise<OrgUnitRow> {
    return this.queryBus.execute(new GetOrgUnitQuery(principal, id));
  }

  @Query(() => OrgUnitConnection, {
    description: 'Org units in the caller’s scope in tree order; `under` limits them to the descendants of one unit.',
  })
  async orgUnits(
    @CurrentUser() principal: Principal,
    @Args() page: PageArgs,
    @Args('under', { type: () => ID, nullable: true }) under?: string | null,
    @Args('includeRetired', { type: () => Boolean, defaultValue: false }) includeRetired?: boolean,
  ): Promise<ConnectionShape<OrgUnitRow>> {
    const size = pageSize(page.first);
    const afterPath = decodeCursor<unknown>(page.after);
    if (afterPath !== undefined && typeof afterPath !== 'string') throw new BadUserInputError('Invalid cursor');
    const rows = await this.queryBus.execute(
      new ListOrgUnitsQuery(principal, { underId: under ?? null, afterPath: afterPath ?? null, limit: size + 1, includeRetired }),
    );
    return toConnection(rows, size, (row) => row.path);
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'Null for a top-level unit or a parent outside the caller’s scope.' })
  parent(@Parent() unit: OrgUnitRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> | null {
    return unit.parentId ? orgLoaders(req, principal, this.readModel).unit.load(unit.parentId) : null;
  }

  @ResolveField(() => OrgUnitConnection, { description: 'Child units in the caller’s scope, by name.' })
  async children(
    @Parent() unit: OrgUnitRow,
    @CurrentUser() principal: Principal,
    @Context('req') req: object,
    @Args() page: PageArgs,
    @Args('includeRetired', { type: () => Boolean, defaultValue: false }) includeRetired: boolean,
  ): Promise<ConnectionShape<OrgUnitRow>> {
    const rows = await orgLoaders(req, principal, this.readModel).children.load(`${unit.id}|${includeRetired}`);
    return paginateArray(rows, page, (row) => row.id);
  }
}

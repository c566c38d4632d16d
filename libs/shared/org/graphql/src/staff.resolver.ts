import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentUser, type Principal } from '@gongzhi/auth';
import { BadUserInputError, type ConnectionShape, decodeCursor, PageArgs, pageSize, toConnection } from '@gongzhi/graphql';
import { GetStaffMemberQuery, ListStaffQuery, OrgReadModel, type OrgUnitRow, type RoleAssignmentRow, type StaffRow } from '@gongzhi/org';
import { orgLoaders } from './org.loaders';
import { OrgUnit, RoleAssignment, StaffMember, StaffMemberConnection } from './org.types';

@Resolver(() => StaffMember)
export class StaffResolver {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readModel: OrgReadModel,
  ) {}

  @Query(() => StaffMember, { description: 'A staff member whose home unit is in the caller’s scope (NOT_FOUND otherwise).' })
  staffMember(@Args('id', { type: () => ID }) id: string, @CurrentUser() principal: Principal): Promise<StaffRow> {
    return this.queryBus.execute(new GetStaffMemberQuery(principal, id));
  }

  @Query(() => StaffMemberConnection, {
    description: 'Staff in the caller’s scope, by id; `orgUnitId` narrows to a unit’s subtree (or the unit alone with `directOnly`).',
  })
  async staff(
    @CurrentUser() principal: Principal,
    @Args() page: PageArgs,
    @Args('orgUnitId', { type: () => ID, nullable: true }) orgUnitId?: string | null,
    @Args('directOnly', { type: () => Boolean, defaultValue: false }) directOnly?: boolean,
  ): Promise<ConnectionShape<StaffRow>> {
    const size = pageSize(page.first);
    const afterId = decodeCursor<unknown>(page.after);
    if (afterId !== undefined && typeof afterId !== 'string') throw new BadUserInputError('Invalid cursor');
    const rows = await this.queryBus.execute(
      new ListStaffQuery(principal, { orgUnitId: orgUnitId ?? null, directOnly, afterId: afterId ?? null, limit: size + 1 }),
    );
    return toConnection(rows, size, (row) => row.id);
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'Home unit.' })
  orgUnit(@Parent() staff: StaffRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.readModel).unit.load(staff.orgUnitId);
  }

  @ResolveField(() => [RoleAssignment], { description: 'Active roles held in units of the caller’s scope.' })
  assignments(@Parent() staff: StaffRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<RoleAssignmentRow[]> {
    return orgLoaders(req, principal, this.readModel).assignments.load(staff.id);
  }
}

@Resolver(() => RoleAssignment)
export class RoleAssignmentResolver {
  constructor(private readonly readModel: OrgReadModel) {}

  @ResolveField(() => OrgUnit, { nullable: true })
  orgUnit(@Parent() assignment: RoleAssignmentRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.readModel).unit.load(assignment.orgUnitId);
  }
}

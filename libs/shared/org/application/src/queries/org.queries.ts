import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OutOfScopeError, type Principal } from '@gongzhi/auth';
import type { OrgUnitRow, StaffRow } from '../read-model/org.entities';
import { OrgReadModel } from './org-read-model';

/** NOT_FOUND for a unit that is missing or outside the caller's scope. */
export class GetOrgUnitQuery extends Query<OrgUnitRow> {
  constructor(readonly principal: Principal, readonly orgUnitId: string) {
    super();
  }
}

export class ListOrgUnitsQuery extends Query<OrgUnitRow[]> {
  constructor(
    readonly principal: Principal,
    readonly options: { underId?: string | null; afterPath?: string | null; limit: number; includeRetired?: boolean },
  ) {
    super();
  }
}

export class GetStaffMemberQuery extends Query<StaffRow> {
  constructor(readonly principal: Principal, readonly staffId: string) {
    super();
  }
}

export class ListStaffQuery extends Query<StaffRow[]> {
  constructor(
    readonly principal: Principal,
    readonly options: { orgUnitId?: string | null; directOnly?: boolean; afterId?: string | null; limit: number },
  ) {
    super();
  }
}

@QueryHandler(GetOrgUnitQuery)
export class GetOrgUnitHandler implements IQueryHandler<GetOrgUnitQuery> {
  constructor(private readonly readModel: OrgReadModel) {}
  async execute({ principal, orgUnitId }: GetOrgUnitQuery): Promise<OrgUnitRow> {
    const row = await this.readModel.orgUnit(principal, orgUnitId);
    if (!row) throw new OutOfScopeError('OrgUnit', orgUnitId);
    return row;
  }
}

@QueryHandler(ListOrgUnitsQuery)
export class ListOrgUnitsHandler implements IQueryHandler<ListOrgUnitsQuery> {
  constructor(private readonly readModel: OrgReadModel) {}
  execute({ principal, options }: ListOrgUnitsQuery): Promise<OrgUnitRow[]> {
    return this.readModel.orgUnits(principal, options);
  }
}

@QueryHandler(GetStaffMemberQuery)
export class GetStaffMemberHandler implements IQueryHandler<GetStaffMemberQuery> {
  constructor(private readonly readModel: OrgReadModel) {}
  async execute({ principal, staffId }: GetStaffMemberQuery): Promise<StaffRow> {
    const row = await this.readModel.staffMember(principal, staffId);
    if (!row) throw new OutOfScopeError('StaffMember', staffId);
    return row;
  }
}

@QueryHandler(ListStaffQuery)
export class ListStaffHandler implements IQueryHandler<ListStaffQuery> {
  constructor(private readonly readModel: OrgReadModel) {}
  execute({ principal, options }: ListStaffQuery): Promise<StaffRow[]> {
    return this.readModel.staff(principal, options);
  }
}

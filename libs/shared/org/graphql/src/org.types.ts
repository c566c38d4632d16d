import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from '@gongzhi/auth';
import { Connection, DateTimeScalar } from '@gongzhi/graphql';
import { ORG_UNIT_KINDS, type OrgUnitKind } from '@gongzhi/org-domain';

const enumKey = (value: string) => value.toUpperCase().replace(/-/g, '_');

/** GraphQL enum names (TRADE_UNION_FEDERATION) for the domain's kebab-case values. */
export const OrgUnitKindEnum = Object.fromEntries(ORG_UNIT_KINDS.map((k) => [enumKey(k), k])) as Record<string, OrgUnitKind>;
registerEnumType(OrgUnitKindEnum, { name: 'OrgUnitKind', description: 'What kind of organization an org unit is.' });

export const RoleEnum = Object.fromEntries(Object.values(Role).map((r) => [enumKey(r), r])) as Record<string, Role>;
registerEnumType(RoleEnum, { name: 'Role', description: 'A role a staff member or token holds.' });

export enum RoleScopeEnum {
  UNIT = 'unit',
  SUBTREE = 'subtree',
}
registerEnumType(RoleScopeEnum, {
  name: 'RoleScope',
  description: 'UNIT: data owned by the unit itself; SUBTREE: the unit and everything under it.',
});

@ObjectType({ description: 'A unit of the organization tree (a union, a league committee, a street office, a community, a grid…).' })
export class OrgUnit {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => OrgUnitKindEnum)
  kind!: OrgUnitKind;

  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => ID, { nullable: true, description: 'Null for a top-level unit.' })
  parentId!: string | null;

  @Field({ description: 'Materialized path `/<root id>/…/<id>/`.' })
  path!: string;

  @Field(() => Int, { description: '1 for a top-level unit.' })
  depth!: number;

  @Field()
  retired!: boolean;

  @Field(() => Int, { description: 'Revision of the unit as this view shows it; send it as expectedRevision.' })
  revision!: number;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar)
  updatedAt!: string;
}

@ObjectType()
export class OrgUnitConnection extends Connection(OrgUnit) {}

@ObjectType({ description: 'A role a staff member holds in an org unit.' })
export class RoleAssignment {
  @Field(() => ID)
  id!: string;

  @Field(() => RoleEnum)
  role!: Role;

  @Field(() => RoleScopeEnum)
  scope!: RoleScopeEnum;

  @Field(() => ID)
  orgUnitId!: string;

  @Field()
  revoked!: boolean;

  @Field(() => DateTimeScalar)
  assignedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: string | null;
}

@ObjectType({ description: 'A staff member of an org unit.' })
export class StaffMember {
  @Field(() => ID)
  id!: string;

  @Field()
  displayName!: string;

  @Field(() => ID, { description: 'Home org unit.' })
  orgUnitId!: string;

  @Field(() => DateTimeScalar)
  registeredAt!: string;

  @Field(() => Int)
  revision!: number;
}

@ObjectType()
export class StaffMemberConnection extends Connection(StaffMember) {}

@ObjectType({ description: 'The authenticated caller.' })
export class Viewer {
  @Field(() => ID)
  userId!: string;

  @Field(() => [RoleEnum])
  roles!: Role[];

  @Field(() => ID)
  orgUnitId!: string;

  @Field({ description: "Materialized path of the caller's org unit (`/` for the whole tree)." })
  orgUnitPath!: string;
}

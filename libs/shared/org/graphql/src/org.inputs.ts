import { Field, ID, InputType } from '@nestjs/graphql';
import { Role } from '@gongzhi/auth';
import { MutationInput } from '@gongzhi/graphql';
import { ORG_UNIT_KINDS, type OrgUnitKind } from '@gongzhi/org-domain';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { OrgUnitKindEnum, RoleEnum, RoleScopeEnum } from './org.types';

/** Same rule as the domain's ids; checked here too so bad input is BAD_USER_INPUT before any I/O. */
const ORG_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ID_MESSAGE = 'ids are 1 to 64 lowercase letters, digits, "-" or "_"';

@InputType()
export class CreateOrgUnitInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: 'Optional; derived from commandId (or generated) when absent.' })
  @IsOptional()
  @Matches(ORG_ID, { message: ID_MESSAGE })
  orgUnitId?: string;

  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => OrgUnitKindEnum)
  @IsIn(ORG_UNIT_KINDS)
  kind!: OrgUnitKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'code is 1 to 32 letters, digits, ".", "_" or "-"' })
  code?: string | null;

  @Field(() => ID, { nullable: true, description: 'Null or absent: a top-level unit (needs scope over the whole tree).' })
  @IsOptional()
  @Matches(ORG_ID, { message: ID_MESSAGE })
  parentId?: string | null;
}

@InputType()
export class RenameOrgUnitInput extends MutationInput {
  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  orgUnitId!: string;

  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;
}

@InputType()
export class MoveOrgUnitInput extends MutationInput {
  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  orgUnitId!: string;

  @Field(() => ID, { nullable: true, description: 'Null: move to the top level.' })
  @IsOptional()
  @Matches(ORG_ID, { message: ID_MESSAGE })
  newParentId?: string | null;
}

@InputType()
export class RetireOrgUnitInput extends MutationInput {
  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  orgUnitId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
}

@InputType()
export class RegisterStaffInput extends MutationInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(ORG_ID, { message: ID_MESSAGE })
  staffId?: string;

  @Field()
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @Field(() => ID, { description: 'Home org unit.' })
  @Matches(ORG_ID, { message: ID_MESSAGE })
  orgUnitId!: string;
}

@InputType()
export class AssignRoleInput extends MutationInput {
  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  staffId!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(ORG_ID, { message: ID_MESSAGE })
  assignmentId?: string;

  @Field(() => RoleEnum)
  @IsIn(Object.values(Role))
  role!: Role;

  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  orgUnitId!: string;

  @Field(() => RoleScopeEnum, { nullable: true, defaultValue: RoleScopeEnum.SUBTREE })
  @IsOptional()
  @IsIn(Object.values(RoleScopeEnum))
  scope?: RoleScopeEnum;
}

@InputType()
export class RevokeRoleInput extends MutationInput {
  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  staffId!: string;

  @Field(() => ID)
  @Matches(ORG_ID, { message: ID_MESSAGE })
  assignmentId!: string;
}

import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection, DateTimeScalar } from '@gongzhi/graphql';
import { MAX_BASIS_LENGTH } from '@gongzhi/privacy';

@ObjectType({ description: 'One row of the append-only, hash-chained audit log. People appear only as opaque ids.' })
export class AuditRecord {
  @Field(() => Int, { description: 'Gap-free sequence number: the position in the chain.' })
  seq!: number;

  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field({ description: 'command, unmask, erasure, audit-read, …' })
  action!: string;

  @Field()
  actorUserId!: string;

  @Field(() => [String])
  actorRoles!: string[];

  @Field(() => String, { nullable: true })
  actorOrgUnitId!: string | null;

  @Field(() => String, { nullable: true })
  resourceType!: string | null;

  @Field(() => String, { nullable: true })
  resourceId!: string | null;

  @Field(() => String, { nullable: true, description: 'Opaque data subject id (never the person’s data).' })
  subjectId!: string | null;

  @Field(() => String, { nullable: true })
  field!: string | null;

  @Field(() => String, { nullable: true, description: 'Purpose or legal basis given for the access.' })
  purpose!: string | null;

  @Field({ description: 'allowed or denied' })
  result!: string;

  @Field(() => String, { nullable: true })
  correlationId!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  details!: Record<string, unknown> | null;

  @Field()
  prevHash!: string;

  @Field()
  hash!: string;
}

@ObjectType()
export class AuditRecordConnection extends Connection(AuditRecord) {}

@InputType()
export class AuditLogFilter {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  action?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actorUserId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  correlationId?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Inclusive.' })
  @IsOptional()
  from?: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive.' })
  @IsOptional()
  to?: Date;
}

@ObjectType('AuditChainReport')
export class AuditChainReportType {
  @Field()
  valid!: boolean;

  @Field(() => Int)
  checked!: number;

  @Field(() => Int)
  headSeq!: number;

  @Field({ description: 'Hash of the newest row: anchor it elsewhere to detect truncation.' })
  headHash!: string;

  @Field(() => Int, { nullable: true })
  firstInvalidSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'hash_mismatch, broken_link or gap' })
  firstInvalidReason!: string | null;
}

@InputType()
export class ForgetSubjectInput {
  @Field(() => ID, { nullable: true, description: 'Client-chosen UUID; a retry returns the original result.' })
  @IsOptional()
  @IsUUID()
  commandId?: string;

  @Field(() => ID)
  @IsUUID()
  subjectId!: string;

  @Field({ description: 'Legal basis, e.g. "PIPL Art 47(1): request 2024-17". Stored in clear: no personal data.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_BASIS_LENGTH)
  basis!: string;
}

@ObjectType('SubjectErasure')
export class SubjectErasureType {
  @Field(() => ID)
  subjectId!: string;

  @Field({ description: 'False when the subject had already been erased.' })
  erasedNow!: boolean;

  @Field(() => ID, { nullable: true })
  eventId!: string | null;

  @Field(() => [Int])
  keyVersionsDestroyed!: number[];

  @Field(() => Int)
  blindIndexRowsDeleted!: number;

  @Field(() => Int)
  readModelRowsCleared!: number;

  @Field(() => Int)
  auditSeq!: number;
}

@ObjectType('PersonalText', { description: 'A personal value as the caller may see it.' })
export class PersonalTextType {
  @Field(() => String, { nullable: true, description: 'Clear or masked text; "[已刪除]" once erased; null when absent.' })
  value!: string | null;

  @Field()
  masked!: boolean;

  @Field()
  erased!: boolean;
}

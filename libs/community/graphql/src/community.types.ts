import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  CATEGORY_KINDS,
  EVALUATION_GRADES,
  HOTLINE_MATTER_TYPES,
  INCIDENT_CHANNELS,
  INCIDENT_STATUSES,
  REPLY_OUTCOMES,
  SATISFACTION_LEVELS,
  SUPERVISION_LEVELS,
  SUPERVISION_REASONS,
  VOID_REASONS,
} from '@gongzhi/community-domain';
import { DEADLINE_UNITS } from '@gongzhi/deadlines-domain';
import { Connection, DateTimeScalar } from '@gongzhi/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

const enumKey = (value: string) =>
  value
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();

/** GraphQL enum (GRID_PATROL, RETURNED_TO_CENTER…) whose values are the domain's own strings. */
const graphqlEnum = <T extends string>(values: readonly T[], name: string, description: string): Record<string, T> => {
  const e = Object.fromEntries(values.map((v) => [enumKey(v), v])) as Record<string, T>;
  registerEnumType(e, { name, description });
  return e;
};

export const IncidentChannelEnum = graphqlEnum(INCIDENT_CHANNELS, 'IncidentChannel', 'Where a report came from: grid patrol, a resident, 12345, video, a referral from above, the 民情綠色通道.');
export const IncidentStatusEnum = graphqlEnum(INCIDENT_STATUSES, 'IncidentStatus', 'Where an incident stands (CJ/T 315 steps and the 12345 steps).');
export const CategoryKindEnum = graphqlEnum(CATEGORY_KINDS, 'IncidentCategoryKind', 'COMPONENT: 部件 (fixed facilities); EVENT: 事件 (occurrences).');
export const VoidReasonEnum = graphqlEnum(VOID_REASONS, 'IncidentVoidReason', 'Why a report is voided: it fails the filing conditions, or it duplicates another report.');
export const ReplyOutcomeEnum = graphqlEnum(REPLY_OUTCOMES, 'CallerReplyOutcome', 'What the unit told the 12345 caller (济南条例 Art 24).');
export const SatisfactionEnum = graphqlEnum(SATISFACTION_LEVELS, 'IncidentSatisfaction', 'A callback’s or evaluation’s satisfaction.');
export const EvaluationGradeEnum = graphqlEnum(EVALUATION_GRADES, 'IncidentEvaluationGrade', '綜合評價 of a closed case.');
export const SupervisionReasonEnum = graphqlEnum(SUPERVISION_REASONS, 'IncidentSupervisionReason', 'Why supervision (督辦) was raised.');
export const SupervisionLevelEnum = graphqlEnum(SUPERVISION_LEVELS, 'IncidentSupervisionLevel', '分級督辦: NOTICE, LISTED (掛牌), INTERVIEW (約談).');
export const HotlineMatterTypeEnum = graphqlEnum(HOTLINE_MATTER_TYPES, 'HotlineMatterType', '12345 matter type (咨询/求助/投诉/举报/建议).');
export const DeadlineUnitEnum = graphqlEnum(DEADLINE_UNITS, 'IncidentTimeLimitUnit', 'D: calendar days, WD: working days, H: hours.');
export const KpiLevelEnum = graphqlEnum(['community', 'grid'] as const, 'IncidentKpiLevel', 'KPIs per community or per grid.');
export const ObjectionOutcomeEnum = graphqlEnum(['upheld', 'reassigned'] as const, 'DispatchObjectionOutcome', 'The hotline centre’s answer to a dispatch objection.');
export const TimeLimitStatusEnum = graphqlEnum(['running', 'paused', 'stopped'] as const, 'IncidentTimeLimitStatus', 'State of an incident’s time limit.');

@ObjectType({ description: 'A grid (網格): an org unit of kind GRID with its publicly posted profile.' })
export class Grid {
  @Field(() => ID) id!: string;
  @Field(() => ID) communityId!: string;
  @Field() name!: string;
  @Field({ description: 'The area in words.' }) area!: string;
  @Field(() => ID, { description: 'The grid worker (網格員), a staff member.' }) workerStaffId!: string;
  @Field({ description: 'The posted supervision phone.' }) supervisionPhone!: string;
  @Field({ description: 'ACTIVE or RETIRED.' }) status!: string;
  @Field() path!: string;
  @Field(() => DateTimeScalar) definedAt!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class GridConnection extends Connection(Grid) {}

@ObjectType({ description: 'A category of the catalogue (部件/事件 → 大類 → 小類) with its time-limit policy.' })
export class IncidentCategory {
  @Field(() => ID) code!: string;
  @Field(() => CategoryKindEnum) kind!: string;
  @Field() majorCode!: string;
  @Field() majorName!: string;
  @Field() minorCode!: string;
  @Field() minorName!: string;
  @Field({ description: 'Policy id of the handling time limit (處置時限).' }) deadlinePolicyId!: string;
  @Field(() => String, { nullable: true, description: '立案條件' }) filingCondition?: string | null;
  @Field(() => String, { nullable: true, description: '結案條件' }) closingCondition?: string | null;
}

@ObjectType({ description: 'An incident on the board (no personal data).' })
export class IncidentSummary {
  @Field(() => ID) id!: string;
  @Field(() => IncidentChannelEnum) channel!: string;
  @Field(() => IncidentStatusEnum) status!: string;
  @Field({ description: 'Whether anyone still owes it something.' }) open!: boolean;
  @Field(() => ID) communityId!: string;
  @Field(() => ID, { nullable: true }) gridId!: string | null;
  @Field(() => ID, { nullable: true }) responsibleOrgUnitId!: string | null;
  @Field(() => String, { nullable: true }) categoryCode!: string | null;
  @Field(() => String, { nullable: true, description: '大類/小類' }) categoryName!: string | null;
  @Field(() => String, { nullable: true }) ticketNumber!: string | null;
  @Field() address!: string;
  @Field() description!: string;
  @Field(() => DateTimeScalar) reportedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: string | null;
  @Field(() => TimeLimitStatusEnum, { nullable: true }) timeLimitStatus!: string | null;
  @Field({ description: 'The running time limit has passed, now.' }) overdue!: boolean;
  @Field({ description: 'The limit ran out at least once.' }) wasLate!: boolean;
  @Field(() => Int) reworkCount!: number;
  @Field(() => Int) supervisionCount!: number;
  @Field(() => SupervisionLevelEnum, { nullable: true }) supervisionLevel!: string | null;
  @Field(() => SatisfactionEnum, { nullable: true }) satisfaction!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: string | null;
  @Field(() => Boolean, { nullable: true }) closedOnTime!: boolean | null;
  @Field(() => ID, { nullable: true }) duplicateOf!: string | null;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class IncidentConnection extends Connection(IncidentSummary) {}

@ObjectType()
export class IncidentLocation {
  @Field() address!: string;
  @Field(() => Float, { nullable: true }) latitude!: number | null;
  @Field(() => Float, { nullable: true }) longitude!: number | null;
}

@ObjectType('IncidentReporter', { description: 'The reporter or caller: masked unless the reader may see personal data here (each clear read is audited).' })
export class Reporter {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field({ description: 'The caller asked that their identity be kept confidential: always masked.' }) confidential!: boolean;
  @Field() wantsReply!: boolean;
  @Field({ description: 'The values shown are masked.' }) masked!: boolean;
  @Field({ description: 'The person was forgotten (erasure): the values are gone.' }) erased!: boolean;
}

@ObjectType('IncidentTimeLimit', { description: 'The time limit (時限) running on the incident, as data: policy, version and legal source.' })
export class TimeLimit {
  @Field() policyId!: string;
  @Field(() => Int) version!: number;
  @Field() source!: string;
  @Field(() => Int) length!: number;
  @Field(() => DeadlineUnitEnum) unit!: string;
  @Field(() => DateTimeScalar) startedAt!: string;
  @Field(() => DateTimeScalar) dueAt!: string;
  @Field(() => TimeLimitStatusEnum) status!: string;
  @Field(() => Int) extensions!: number;
  @Field({ description: 'Running and past its end, now (for an as-of view: at that instant).' }) overdue!: boolean;
}

@ObjectType('IncidentSupervision')
export class Supervision {
  @Field(() => SupervisionReasonEnum) reason!: string;
  @Field(() => SupervisionLevelEnum) level!: string;
  @Field() note!: string;
  @Field(() => ID, { nullable: true }) relatedIncidentId!: string | null;
  @Field(() => DateTimeScalar) raisedAt!: string;
}

@ObjectType('IncidentHandling')
export class Handling {
  @Field(() => ID) byOrgUnitId!: string;
  @Field() notes!: string;
  @Field(() => [String]) photoRefs!: string[];
  @Field(() => DateTimeScalar) reportedAt!: string;
}

@ObjectType('IncidentEvaluation')
export class Evaluation {
  @Field(() => EvaluationGradeEnum) grade!: string;
  @Field(() => SatisfactionEnum, { nullable: true }) satisfaction!: string | null;
  @Field() comment!: string;
  @Field(() => DateTimeScalar) evaluatedAt!: string;
}

@ObjectType('IncidentTimelineEntry', { description: 'One event of the incident’s history: the full-process electronic file (滨州条例 Art 14).' })
export class TimelineEntry {
  @Field(() => Int) revision!: number;
  @Field() type!: string;
  @Field(() => DateTimeScalar) occurredAt!: string;
  @Field(() => ID) actorUserId!: string;
  @Field(() => ID, { nullable: true }) actorOrgUnitId!: string | null;
  @Field(() => GraphQLJSONObject, { description: 'The event’s data without personal values.' }) details!: Record<string, unknown>;
}

@ObjectType({ description: 'An incident folded from its event stream: now, or as it stood at `asOf`.' })
export class Incident {
  @Field(() => ID) id!: string;
  @Field(() => IncidentChannelEnum) channel!: string;
  @Field(() => IncidentStatusEnum) status!: string;
  @Field() open!: boolean;
  @Field(() => ID) communityId!: string;
  @Field(() => ID, { nullable: true }) gridId!: string | null;
  @Field({ description: 'Owning path (the grid’s, else the community’s).' }) path!: string;
  @Field(() => ID, { nullable: true }) responsibleOrgUnitId!: string | null;
  @Field(() => IncidentCategory, { nullable: true }) category!: IncidentCategory | null;
  @Field(() => String, { nullable: true }) hotlineCategory!: string | null;
  @Field(() => String, { nullable: true }) ticketNumber!: string | null;
  @Field(() => HotlineMatterTypeEnum, { nullable: true }) matterType!: string | null;
  @Field(() => String, { nullable: true }) callerRef!: string | null;
  @Field(() => IncidentLocation, { nullable: true }) location!: IncidentLocation | null;
  @Field() description!: string;
  @Field(() => [String]) photoRefs!: string[];
  @Field(() => String, { nullable: true }) externalRef!: string | null;
  @Field(() => DateTimeScalar) reportedAt!: string;
  @Field(() => TimeLimit, { nullable: true }) timeLimit!: TimeLimit | null;
  @Field(() => Int) reworkCount!: number;
  @Field() wasOverdue!: boolean;
  @Field(() => [Supervision]) supervisions!: Supervision[];
  @Field(() => ID, { nullable: true }) duplicateOf!: string | null;
  @Field(() => [ID]) duplicates!: string[];
  @Field(() => [Handling]) handlings!: Handling[];
  @Field(() => SatisfactionEnum, { nullable: true }) satisfaction!: string | null;
  @Field(() => Evaluation, { nullable: true }) evaluation!: Evaluation | null;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: string | null;
  @Field(() => Int, { description: 'Revision of the stream this view shows; send it as expectedRevision.' }) revision!: number;
  @Field(() => [TimelineEntry]) timeline!: TimelineEntry[];
}

@ObjectType('IncidentKpiFigures', { description: 'KPI counters and rates (rates are null when their base is 0).' })
export class KpiFigures {
  @Field(() => Int) reported!: number;
  @Field(() => Int) responded!: number;
  @Field(() => Int) filed!: number;
  @Field(() => Int) closed!: number;
  @Field(() => Int) closedOnTime!: number;
  @Field(() => Int) closedReworked!: number;
  @Field(() => Int) reworkOrders!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Int) supervised!: number;
  @Field(() => Int) satisfactionAsked!: number;
  @Field(() => Int) satisfactionYes!: number;
  @Field(() => Float, { nullable: true, description: '結案率: closed / filed in the period.' }) closureRate!: number | null;
  @Field(() => Float, { nullable: true, description: '按期結案率: closed on time / closed.' }) onTimeClosureRate!: number | null;
  @Field(() => Float, { nullable: true, description: '返工率: closed after a rework / closed.' }) reworkRate!: number | null;
  @Field(() => Float, { nullable: true, description: '回訪滿意率: satisfied or basically satisfied / asked.' }) satisfactionRate!: number | null;
  @Field(() => Float, { nullable: true, description: '響應率: reports with a first response / reported.' }) responseRate!: number | null;
}

@ObjectType('IncidentKpiLine')
export class KpiLine extends KpiFigures {
  @Field(() => ID) orgUnitId!: string;
  @Field(() => KpiLevelEnum) level!: string;
  @Field(() => ID) communityId!: string;
  @Field({ description: 'YYYY-MM (China time).' }) month!: string;
}

@ObjectType('IncidentKpiReport')
export class KpiReport {
  @Field(() => ID) underOrgUnitId!: string;
  @Field() fromMonth!: string;
  @Field() toMonth!: string;
  @Field(() => KpiLevelEnum) level!: string;
  @Field(() => [KpiLine]) lines!: KpiLine[];
  @Field(() => KpiFigures) total!: KpiFigures;
}

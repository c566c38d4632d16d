import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '@gongzhi/graphql';

export enum GranularityEnum {
  DAY = 'day',
  MONTH = 'month',
}
registerEnumType(GranularityEnum, { name: 'MobilizationGranularity', description: 'Calendar periods in China time (UTC+8).' });

@ObjectType({ description: '組織化動員: mobilization through the organization hierarchy.' })
export class OrganizationalMobilization {
  @Field(() => Int) tasksIssued!: number;
  @Field(() => Int) tasksAcknowledged!: number;
  @Field(() => Int) tasksCompleted!: number;
  @Field(() => Int) tasksOverdue!: number;
  @Field(() => Int, { description: 'Distinct units that acknowledged a task.' }) unitsActivated!: number;
  @Field(() => Int) staffDispatched!: number;
}

@ObjectType({ description: '社會化動員: volunteers, social organizations, enterprises and the foundation.' })
export class SocialMobilization {
  @Field(() => Int, { description: 'Volunteer sign-ups (人次), withdrawals taken back.' }) volunteersMobilized!: number;
  @Field(() => Int, { description: 'Distinct volunteers (人數).' }) distinctVolunteers!: number;
  @Field(() => Int) serviceMinutes!: number;
  @Field(() => Float) serviceHours!: number;
  @Field(() => Int) activities!: number;
  @Field(() => Int) socialOrganizations!: number;
  @Field(() => Int) enterprises!: number;
  @Field(() => Int) foundationProjects!: number;
  @Field(() => Float, { description: 'Yuan.' }) fundsPledged!: number;
  @Field(() => Float, { description: 'Yuan.' }) fundsReceived!: number;
  @Field(() => Int) beneficiaries!: number;
}

@ObjectType()
export class MobilizationFigures {
  @Field(() => OrganizationalMobilization) organizational!: OrganizationalMobilization;
  @Field(() => SocialMobilization) social!: SocialMobilization;
}

@ObjectType({ description: 'An org unit as the view names it.' })
export class MobilizationUnit {
  @Field(() => ID) orgUnitId!: string;
  @Field() name!: string;
  @Field() path!: string;
  @Field() kind!: string;
}

@ObjectType({ description: 'A unit with the figures of its whole subtree.' })
export class UnitMobilization extends MobilizationFigures {
  @Field(() => MobilizationUnit) unit!: MobilizationUnit;
}

@ObjectType()
export class MobilizationCampaignRef {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() brand!: string;
  @Field() status!: string;
  @Field(() => ID) ownerOrgUnitId!: string;
}

@ObjectType({ description: 'The unified view: both sides of mobilization for a unit and its whole subtree.' })
export class MobilizationOverview extends UnitMobilization {
  @Field(() => MobilizationCampaignRef, { nullable: true }) campaign!: MobilizationCampaignRef | null;
  @Field(() => DateTimeScalar, { nullable: true }) from!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) to!: string | null;
  @Field(() => DateTimeScalar) asOf!: string;
  @Field(() => MobilizationFigures, { description: 'Recorded at the unit itself (not below it).' }) own!: MobilizationFigures;
  @Field(() => [UnitMobilization], { description: 'Each child unit with its subtree: own + children add up to the unit’s figures.' })
  children!: UnitMobilization[];
}

@ObjectType()
export class MobilizationPeriod extends MobilizationFigures {
  @Field(() => DateTimeScalar) from!: string;
  @Field(() => DateTimeScalar) to!: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/**
 * One measured fact of mobilization: a task issued to a unit, a volunteer signing up, minutes
 * served, yuan received. Facts are additive (a withdrawal or a correction is a fact with a
 * negative value), each sits at exactly one org path, and a roll-up over a subtree is a sum over
 * a path prefix: a county's facts count in its city's and province's figures exactly once.
 */
@Entity({ name: 'mob_facts' })
@Index('ix_mob_facts_path', ['orgUnitPath', 'occurredAt'])
@Index('ix_mob_facts_campaign', ['campaignId', 'metric'])
@Index('ix_mob_facts_activity', ['activityId'])
export class MobilizationFactRow {
  /** `<event id>#<n>`: an event yields a fixed list of facts, so a replay writes the same rows. */
  @PrimaryColumn({ type: 'varchar', length: 80 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) metric!: string;
  @Column({ type: 'bigint', transformer: bigintAsNumber }) value!: number;
  /** What distinct counts count: a volunteer, a unit, a partner. */
  @Column({ type: 'varchar', length: 80, nullable: true }) subject!: string | null;
  @Column({ name: 'org_unit_path', type: 'varchar', length: 1100 }) orgUnitPath!: string;
  @Column({ name: 'campaign_id', type: 'varchar', length: 64, nullable: true }) campaignId!: string | null;
  @Column({ name: 'activity_id', type: 'varchar', length: 64, nullable: true }) activityId!: string | null;
  /** Domain time (UTC ISO), what periods and as-of filter on. */
  @Column({ name: 'occurred_at', type: 'varchar', length: 40 }) occurredAt!: string;
  @Column({ name: 'event_type', type: 'varchar', length: 80 }) eventType!: string;
}

@Entity({ name: 'mob_campaigns' })
@Index('ix_mob_campaigns_path', ['ownerPath'])
export class MobilizationCampaignRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 30 }) brand!: string;
  @Column({ name: 'owner_org_unit_id', type: 'varchar', length: 64 }) ownerOrgUnitId!: string;
  @Column({ name: 'owner_path', type: 'varchar', length: 1100 }) ownerPath!: string;
  @Column({ type: 'varchar', length: 20 }) status!: string;
  @Column({ name: 'planned_at', type: 'varchar', length: 40 }) plannedAt!: string;
}

/** Activities counted for a campaign (from the moment they were linked, for as-of answers). */
@Entity({ name: 'mob_campaign_activities' })
@Index('ix_mob_campaign_activities_campaign', ['campaignId'])
export class MobilizationCampaignActivityRow {
  /** `<campaignId>/<activityId>` */
  @PrimaryColumn({ type: 'varchar', length: 140 }) id!: string;
  @Column({ name: 'campaign_id', type: 'varchar', length: 64 }) campaignId!: string;
  @Column({ name: 'activity_id', type: 'varchar', length: 64 }) activityId!: string;
  @Column({ name: 'linked_at', type: 'varchar', length: 40 }) linkedAt!: string;
}

export const MOBILIZATION_ENTITIES = [MobilizationFactRow, MobilizationCampaignRow, MobilizationCampaignActivityRow];

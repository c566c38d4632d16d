import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The incident board: one row per grid case or 12345 order, with what filters and lists need.
 * No personal data: the reporter is only an opaque subject id (the detail view decrypts from
 * the stream, masked unless the reader may see it). Times are domain times from the events, so
 * a rebuild writes the same rows (SP-4); "overdue now" is computed at query time from `due_at`.
 */
@Entity({ name: 'community_incidents' })
@Index('ix_community_incidents_owning_path', ['owningOrgPath'])
@Index('ix_community_incidents_responsible_path', ['responsiblePath'])
@Index('ix_community_incidents_status', ['status'])
@Index('ix_community_incidents_grid', ['gridId'])
@Index('ix_community_incidents_ticket', ['ticketNumber'])
@Index('ix_community_incidents_reported', ['reportedAt', 'incidentId'])
export class IncidentRow {
  @PrimaryColumn({ name: 'incident_id', type: 'varchar', length: 64 })
  incidentId!: string;

  @Column({ type: 'varchar', length: 20 })
  channel!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  /** Whether anything is still expected of someone (not voided, closed, evaluated or returned to the centre). */
  @Column({ type: 'boolean' })
  open!: boolean;

  @Column({ name: 'community_id', type: 'varchar', length: 64 })
  communityId!: string;

  @Column({ name: 'grid_id', type: 'varchar', length: 64, nullable: true })
  gridId!: string | null;

  /** The grid's (else the community's) path: who owns the case. */
  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  @Column({ name: 'responsible_org_unit_id', type: 'varchar', length: 64, nullable: true })
  responsibleOrgUnitId!: string | null;

  /** The handling unit may sit outside the owner's subtree (a department): it sees the case too. */
  @Column({ name: 'responsible_path', type: 'varchar', length: 1100, nullable: true })
  responsiblePath!: string | null;

  @Column({ name: 'category_code', type: 'varchar', length: 120, nullable: true })
  categoryCode!: string | null;

  @Column({ name: 'category_kind', type: 'varchar', length: 16, nullable: true })
  categoryKind!: string | null;

  @Column({ name: 'category_name', type: 'varchar', length: 130, nullable: true })
  categoryName!: string | null;

  @Column({ name: 'hotline_category', type: 'varchar', length: 100, nullable: true })
  hotlineCategory!: string | null;

  @Column({ name: 'ticket_number', type: 'varchar', length: 64, nullable: true })
  ticketNumber!: string | null;

  @Column({ type: 'varchar', length: 300 })
  address!: string;

  @Column({ type: 'varchar', length: 4000 })
  description!: string;

  @Column({ name: 'reporter_subject_id', type: 'varchar', length: 64, nullable: true })
  reporterSubjectId!: string | null;

  @Column({ name: 'reported_at', type: 'varchar', length: 40 })
  reportedAt!: string;

  /** `YYYY-MM` in China time: the KPI month of the report. */
  @Column({ name: 'reported_month', type: 'varchar', length: 7 })
  reportedMonth!: string;

  @Column({ name: 'responded_at', type: 'varchar', length: 40, nullable: true })
  respondedAt!: string | null;

  @Column({ name: 'filed_at', type: 'varchar', length: 40, nullable: true })
  filedAt!: string | null;

  @Column({ name: 'dispatched_at', type: 'varchar', length: 40, nullable: true })
  dispatchedAt!: string | null;

  /** The time limit's current end; null before dispatch. */
  @Column({ name: 'due_at', type: 'varchar', length: 40, nullable: true })
  dueAt!: string | null;

  /** running | paused | stopped | null (no limit yet) */
  @Column({ name: 'clock_status', type: 'varchar', length: 10, nullable: true })
  clockStatus!: string | null;

  @Column({ name: 'deadline_policy_id', type: 'varchar', length: 120, nullable: true })
  deadlinePolicyId!: string | null;

  @Column({ name: 'handled_at', type: 'varchar', length: 40, nullable: true })
  handledAt!: string | null;

  @Column({ name: 'closed_at', type: 'varchar', length: 40, nullable: true })
  closedAt!: string | null;

  /** Closed with every round handled (or replied) before its limit and never reported overdue. */
  @Column({ name: 'closed_on_time', type: 'boolean', nullable: true })
  closedOnTime!: boolean | null;

  /** The limit ran out at least once: handled late, or reported overdue by the scheduler. */
  @Column({ name: 'was_late', type: 'boolean' })
  wasLate!: boolean;

  @Column({ name: 'rework_count', type: 'integer' })
  reworkCount!: number;

  @Column({ name: 'supervision_count', type: 'integer' })
  supervisionCount!: number;

  @Column({ name: 'supervision_level', type: 'varchar', length: 16, nullable: true })
  supervisionLevel!: string | null;

  /** The latest callback's or evaluation's satisfaction. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  satisfaction!: string | null;

  @Column({ name: 'duplicate_of', type: 'varchar', length: 64, nullable: true })
  duplicateOf!: string | null;

  @Column({ name: 'duplicate_count', type: 'integer' })
  duplicateCount!: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 40 })
  updatedAt!: string;

  @Column({ type: 'integer' })
  revision!: number;
}

/**
 * Monthly counters per community and per grid (`level`), from which the KPIs are computed at
 * query time. A fact is counted in the month (China time) its event occurred in, except
 * `responded`, which counts reports of the month that got a first response at any time.
 */
@Entity({ name: 'community_incident_kpis' })
@Index('ix_community_kpis_owning_path', ['owningOrgPath'])
export class IncidentKpiRow {
  @PrimaryColumn({ name: 'org_unit_id', type: 'varchar', length: 64 })
  orgUnitId!: string;

  @PrimaryColumn({ type: 'varchar', length: 7 })
  month!: string;

  /** community | grid */
  @Column({ type: 'varchar', length: 10 })
  level!: string;

  @Column({ name: 'community_id', type: 'varchar', length: 64 })
  communityId!: string;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  @Column({ type: 'integer' }) reported!: number;
  @Column({ type: 'integer' }) responded!: number;
  @Column({ type: 'integer' }) filed!: number;
  @Column({ type: 'integer' }) closed!: number;
  @Column({ name: 'closed_on_time', type: 'integer' }) closedOnTime!: number;
  @Column({ name: 'closed_reworked', type: 'integer' }) closedReworked!: number;
  @Column({ name: 'rework_orders', type: 'integer' }) reworkOrders!: number;
  @Column({ type: 'integer' }) overdue!: number;
  @Column({ type: 'integer' }) supervised!: number;
  /** Callbacks (回訪) and evaluations that asked for satisfaction, and the satisfied ones among them. */
  @Column({ name: 'satisfaction_asked', type: 'integer' }) satisfactionAsked!: number;
  @Column({ name: 'satisfaction_yes', type: 'integer' }) satisfactionYes!: number;
}

export const INCIDENT_READ_MODEL_ENTITIES = [IncidentRow, IncidentKpiRow];

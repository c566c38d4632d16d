import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per dispute: the columns the list filters and sorts on, and the folded case (without
 * the workers' personal data) as JSON. `owning_org_path` is the handling union's path, rewritten
 * by prefix when a unit moves, so scope predicates always see the current tree. Instants are
 * ISO strings in UTC (`…Z`), so string order is time order on SQLite and PostgreSQL alike.
 */
@Entity({ name: 'union_labor_disputes' })
@Index('ix_union_labor_disputes_owning_path', ['owningOrgPath'])
@Index('ix_union_labor_disputes_filed', ['filedAt', 'disputeId'])
@Index('ix_union_labor_disputes_next_due', ['nextObligationDueAt'])
export class LaborDisputeRow {
  @PrimaryColumn({ name: 'dispute_id', type: 'varchar', length: 128 })
  disputeId!: string;

  @Column({ name: 'org_unit_id', type: 'varchar', length: 64 })
  orgUnitId!: string;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  @Column({ type: 'varchar', length: 40 })
  status!: string;

  @Column({ type: 'varchar', length: 40 })
  category!: string;

  @Column({ name: 'group_dispute', type: 'boolean' })
  groupDispute!: boolean;

  @Column({ name: 'stability_watch', type: 'boolean' })
  stabilityWatch!: boolean;

  @Column({ name: 'workers_involved', type: 'integer' })
  workersInvolved!: number;

  @Column({ name: 'claim_amount', type: 'double precision' })
  claimAmount!: number;

  @Column({ name: 'employer_name', type: 'varchar', length: 200 })
  employerName!: string;

  @Column({ name: 'filed_at', type: 'varchar', length: 40 })
  filedAt!: string;

  @Column({ name: 'closed_at', type: 'varchar', length: 40, nullable: true })
  closedAt!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  outcome!: string | null;

  @Column({ name: 'limitation_expired_at_filing', type: 'boolean' })
  limitationExpiredAtFiling!: boolean;

  /** When the limitation period runs out, while its clock runs (null: stopped, paused or none). */
  @Column({ name: 'limitation_due_at', type: 'varchar', length: 40, nullable: true })
  limitationDueAt!: string | null;

  /** The earliest due date of a running clock that someone owes an act by ("overdue" clocks). */
  @Column({ name: 'next_obligation_due_at', type: 'varchar', length: 40, nullable: true })
  nextObligationDueAt!: string | null;

  @Column({ name: 'next_obligation_clock', type: 'varchar', length: 80, nullable: true })
  nextObligationClock!: string | null;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 40 })
  updatedAt!: string;

  /** The folded DisputeCase, workers removed (they are personal data; the detail folds the stream). */
  @Column({ name: 'state_json', type: 'text' })
  stateJson!: string;
}

/**
 * KPI facts: one row per (dispute, kind), attributed to the union responsible when it happened
 * and to the month (China time) it happened in.
 * Kinds: filed, group-filed, mediation-agreed, mediation-failed, award (value 1 on time, 0 late),
 * closed (value: days from filing to closing).
 */
@Entity({ name: 'union_labor_dispute_facts' })
@Index('ix_union_labor_dispute_facts_scope', ['owningOrgPath', 'month'])
export class LaborDisputeFactRow {
  @PrimaryColumn({ name: 'dispute_id', type: 'varchar', length: 128 })
  disputeId!: string;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  kind!: string;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  /** `YYYY-MM` in China time. */
  @Column({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ name: 'occurred_at', type: 'varchar', length: 40 })
  occurredAt!: string;
}

export const UNION_READ_MODEL_ENTITIES = [LaborDisputeRow, LaborDisputeFactRow];

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One version of a deadline rule (DOMAIN.md "Deadlines are data"). Rows are only ever added:
 * a change is a new version, so every clock can still name the rule it started under.
 */
@Entity({ name: 'deadline_policies' })
export class DeadlinePolicyRow {
  @PrimaryColumn({ name: 'policy_id', type: 'varchar', length: 120 })
  policyId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 500 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  source!: string;

  @Column({ type: 'integer' })
  length!: number;

  @Column({ type: 'varchar', length: 4 })
  unit!: string;

  @Column({ type: 'varchar', length: 10 })
  expiry!: string;

  /** JSON of the extension rule, or null when the period cannot be extended. */
  @Column({ type: 'text', nullable: true })
  extension!: string | null;

  @Column({ name: 'roll_forward', type: 'boolean' })
  rollForward!: boolean;

  @Column({ name: 'effective_from', type: 'varchar', length: 40 })
  effectiveFrom!: string;

  /** Who published the version ('seed' for the national rules shipped with the code). */
  @Column({ name: 'published_by', type: 'varchar', length: 120 })
  publishedBy!: string;

  @Column({ name: 'published_at', type: 'varchar', length: 40 })
  publishedAt!: string;
}

/** A holiday or a make-up working day of a calendar (loaded from the State Council's notices). */
@Entity({ name: 'deadline_calendar_days' })
export class CalendarDayRow {
  @PrimaryColumn({ name: 'calendar_id', type: 'varchar', length: 60 })
  calendarId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  date!: string;

  /** 'holiday' or 'workday'. */
  @Column({ type: 'varchar', length: 10 })
  kind!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;
}

/**
 * A running or paused clock of any aggregate (the open-clocks projection). Stopped clocks are
 * deleted, so the table is what is still open, and the scheduler's query stays small.
 */
@Entity({ name: 'deadline_open_clocks' })
@Index('ix_deadline_open_clocks_due', ['status', 'dueAt'])
@Index('ix_deadline_open_clocks_stream', ['streamId'])
export class OpenClockRow {
  /** `<stream id>#<clock id>` */
  @PrimaryColumn({ name: 'clock_key', type: 'varchar', length: 400 })
  clockKey!: string;

  @Column({ name: 'stream_id', type: 'varchar', length: 300 })
  streamId!: string;

  @Column({ name: 'clock_id', type: 'varchar', length: 80 })
  clockId!: string;

  @Column({ name: 'policy_id', type: 'varchar', length: 120 })
  policyId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 500 })
  source!: string;

  @Column({ type: 'integer' })
  length!: number;

  @Column({ type: 'varchar', length: 4 })
  unit!: string;

  @Column({ type: 'varchar', length: 10 })
  expiry!: string;

  @Column({ name: 'started_at', type: 'varchar', length: 40 })
  startedAt!: string;

  /** ISO instant (`…Z`), so string order is time order. */
  @Column({ name: 'due_at', type: 'varchar', length: 40 })
  dueAt!: string;

  /** 'running' or 'paused'. */
  @Column({ type: 'varchar', length: 10 })
  status!: string;

  @Column({ type: 'integer' })
  extensions!: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 40 })
  updatedAt!: string;
}

export const DEADLINE_ENTITIES = [DeadlinePolicyRow, CalendarDayRow, OpenClockRow];

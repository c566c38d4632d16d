import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The category catalogue (部件/事件 → 大類 → 小類, GB/T 30428.2 / CJ/T 315). A reference table,
 * not a projection: operators retire, add or re-time categories here; filed cases keep the
 * snapshot they were filed with, so a change never rewrites history.
 */
@Entity({ name: 'community_incident_categories' })
@Index('ix_community_categories_major', ['kind', 'majorCode'])
export class IncidentCategoryRow {
  /** `<kind>.<major>.<minor>` */
  @PrimaryColumn({ type: 'varchar', length: 120 })
  code!: string;

  /** component (部件) | event (事件) */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'major_code', type: 'varchar', length: 60 })
  majorCode!: string;

  @Column({ name: 'major_name', type: 'varchar', length: 60 })
  majorName!: string;

  @Column({ name: 'minor_code', type: 'varchar', length: 60 })
  minorCode!: string;

  @Column({ name: 'minor_name', type: 'varchar', length: 60 })
  minorName!: string;

  @Column({ name: 'deadline_policy_id', type: 'varchar', length: 120 })
  deadlinePolicyId!: string;

  @Column({ name: 'filing_condition', type: 'varchar', length: 500 })
  filingCondition!: string;

  @Column({ name: 'closing_condition', type: 'varchar', length: 500 })
  closingCondition!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** The catalogue version the row was last changed in. */
  @Column({ name: 'catalogue_version', type: 'integer' })
  catalogueVersion!: number;
}

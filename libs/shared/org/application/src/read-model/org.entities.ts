import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read-model rows. Every table carries `owning_org_path` (the materialized path of the org unit
 * that owns the row), which is what scope predicates filter on. Paths are rewritten by prefix
 * when a unit moves, so a row always answers to its unit's current place in the tree.
 * Column types are the ones SQLite and PostgreSQL share.
 */
@Entity({ name: 'org_units' })
@Index('ix_org_units_parent', ['parentId'])
@Index('ix_org_units_owning_path', ['owningOrgPath'])
export class OrgUnitRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  code!: string | null;

  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId!: string | null;

  /** `/<root id>/…/<id>/`; equals owning_org_path (a unit owns its own row). */
  @Column({ type: 'varchar', length: 1100 })
  path!: string;

  /** 1 for a top-level unit. */
  @Column({ type: 'integer' })
  depth!: number;

  @Column({ type: 'boolean' })
  retired!: boolean;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  /** Domain time (event metadata occurredAt), so a rebuild writes the same value. */
  @Column({ name: 'created_at', type: 'varchar', length: 40 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 40 })
  updatedAt!: string;

  /** Revision of the unit's stream reflected here (clients send it as expectedRevision). */
  @Column({ type: 'integer' })
  revision!: number;
}

@Entity({ name: 'org_staff' })
@Index('ix_org_staff_unit', ['orgUnitId'])
@Index('ix_org_staff_owning_path', ['owningOrgPath'])
export class StaffRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  /** Home unit. */
  @Column({ name: 'org_unit_id', type: 'varchar', length: 64 })
  orgUnitId!: string;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  @Column({ name: 'registered_at', type: 'varchar', length: 40 })
  registeredAt!: string;

  @Column({ type: 'integer' })
  revision!: number;
}

@Entity({ name: 'org_role_assignments' })
@Index('ix_org_assignments_staff', ['staffId'])
@Index('ix_org_assignments_owning_path', ['owningOrgPath'])
export class RoleAssignmentRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'staff_id', type: 'varchar', length: 64 })
  staffId!: string;

  @Column({ type: 'varchar', length: 40 })
  role!: string;

  /** 'unit' or 'subtree'. */
  @Column({ type: 'varchar', length: 10 })
  scope!: string;

  /** The unit the role is held in. */
  @Column({ name: 'org_unit_id', type: 'varchar', length: 64 })
  orgUnitId!: string;

  /** Path of that unit: the assignment belongs to (and is visible from) the unit it grants power over. */
  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  @Column({ type: 'boolean' })
  revoked!: boolean;

  @Column({ name: 'assigned_at', type: 'varchar', length: 40 })
  assignedAt!: string;

  @Column({ name: 'revoked_at', type: 'varchar', length: 40, nullable: true })
  revokedAt!: string | null;
}

export const ORG_READ_MODEL_ENTITIES = [OrgUnitRow, StaffRow, RoleAssignmentRow];

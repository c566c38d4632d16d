import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row of the append-only audit log (RELIABILITY.md §4.4). Rows name people only by opaque ids
 * (actor user id, subject id); `details` must stay free of personal data, which `AuditLog`
 * enforces. `seq` is gap-free and `prev_hash` unique, so the chain can neither fork nor lose a
 * row in the middle unnoticed.
 */
@Entity('audit_log')
export class AuditRecordRow {
  @PrimaryColumn({ name: 'seq', type: 'bigint' })
  seq!: number;

  @Index('ux_audit_log_id', { unique: true })
  @Column({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'occurred_at', type: 'varchar', length: 32 })
  occurredAt!: string;

  /** 'command' | 'unmask' | 'erasure' | 'key-rotation' | … (see AuditAction). */
  @Index('ix_audit_log_action')
  @Column({ name: 'action', type: 'varchar', length: 40 })
  action!: string;

  @Index('ix_audit_log_actor')
  @Column({ name: 'actor_user_id', type: 'varchar', length: 200 })
  actorUserId!: string;

  /** Comma-separated roles the actor held. */
  @Column({ name: 'actor_roles', type: 'varchar', length: 400 })
  actorRoles!: string;

  @Column({ name: 'actor_org_unit_id', type: 'varchar', length: 200, nullable: true })
  actorOrgUnitId!: string | null;

  @Column({ name: 'resource_type', type: 'varchar', length: 100, nullable: true })
  resourceType!: string | null;

  @Column({ name: 'resource_id', type: 'varchar', length: 200, nullable: true })
  resourceId!: string | null;

  @Index('ix_audit_log_subject')
  @Column({ name: 'subject_id', type: 'varchar', length: 64, nullable: true })
  subjectId!: string | null;

  @Column({ name: 'field', type: 'varchar', length: 100, nullable: true })
  field!: string | null;

  @Column({ name: 'purpose', type: 'varchar', length: 200, nullable: true })
  purpose!: string | null;

  /** 'allowed' | 'denied'. */
  @Column({ name: 'result', type: 'varchar', length: 16 })
  result!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 200, nullable: true })
  correlationId!: string | null;

  /** Canonical JSON of extra ids (command type, event ids, key versions); never personal data. */
  @Column({ name: 'details', type: 'text', nullable: true })
  details!: string | null;

  @Index('ux_audit_log_prev_hash', { unique: true })
  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Times are ISO-8601 UTC strings (`toISOString()`): identical on SQLite and PostgreSQL and they
 * sort as text, which is all the vault needs.
 */

/** A person whose data Gongzhi holds, known only by an opaque id. */
@Entity('data_subjects')
export class DataSubjectRow {
  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** Set once, by erasure; an erased subject never gets a key again. */
  @Column({ name: 'erased_at', type: 'varchar', length: 32, nullable: true })
  erasedAt!: string | null;
}

/**
 * One data key (DEK) version of a subject, wrapped by the KEK. Erasure nulls `wrapped_dek` and
 * sets `destroyed_at`: the row stays as the record that the key existed and when it was destroyed.
 */
@Entity('subject_keys')
export class SubjectKeyRow {
  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @PrimaryColumn({ name: 'version', type: 'integer' })
  version!: number;

  /** iv ‖ tag ‖ ciphertext (base64) of the DEK under the KEK, AAD = subject id and version. */
  @Column({ name: 'wrapped_dek', type: 'text', nullable: true })
  wrappedDek!: string | null;

  /** Which KEK wrapped it (a fingerprint), so a misconfigured KEK fails with a clear message. */
  @Column({ name: 'kek_id', type: 'varchar', length: 32 })
  kekId!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'destroyed_at', type: 'varchar', length: 32, nullable: true })
  destroyedAt!: string | null;
}

/**
 * HMAC-SHA-256(index key, normalized value) → subject: answers "has this worker filed before?"
 * without the number in clear. Unique per (kind, hash), so one person is one subject.
 */
@Entity('subject_blind_index')
export class BlindIndexRow {
  @PrimaryColumn({ name: 'kind', type: 'varchar', length: 32 })
  kind!: string;

  @PrimaryColumn({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;

  @Index('ix_subject_blind_index_subject')
  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}

import { createHash, randomUUID } from 'node:crypto';
import { Brackets, type DataSource, type EntityManager } from 'typeorm';
import { canonicalJson, type JsonValue } from '@gongzhi/event-store';
import { containsPersonalPattern } from '../validation/personal-patterns';
import { dialectOf, tableName } from '../schema';
import { withWriteLock } from '../write-lock';
import { AuditRecordRow } from './audit-record.entity';

export type AuditAction =
  | 'command'
  | 'unmask'
  | 'erasure'
  | 'key-rotation'
  | 'export'
  | 'permission-change'
  | 'login'
  | 'login-failed'
  | (string & {});

export interface AuditEntry {
  action: AuditAction;
  actor: { userId: string; roles?: readonly string[]; orgUnitId?: string | null };
  resourceType?: string;
  resourceId?: string;
  /** Opaque data subject id when the action concerns a person. */
  subjectId?: string;
  field?: string;
  /** Purpose or legal basis given for the access (PIPL Art 6, 13). */
  purpose?: string;
  result?: 'allowed' | 'denied';
  correlationId?: string;
  /** Ids and counts only: rejected when anything in it looks like an ID number or phone. */
  details?: Record<string, JsonValue>;
}

export interface AuditRecord {
  seq: number;
  id: string;
  occurredAt: string;
  action: string;
  actorUserId: string;
  actorRoles: string[];
  actorOrgUnitId: string | null;
  resourceType: string | null;
  resourceId: string | null;
  subjectId: string | null;
  field: string | null;
  purpose: string | null;
  result: string;
  correlationId: string | null;
  details: Record<string, JsonValue> | null;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  subjectId?: string;
  correlationId?: string;
  /** ISO instants, inclusive / exclusive. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  records: AuditRecord[];
  /** Cursor of the last record (its `seq`), for `after`. */
  endCursor: number | null;
  hasNextPage: boolean;
}

export interface AuditChainReport {
  valid: boolean;
  checked: number;
  /** Hash of the last row: anchor it elsewhere (a printout, another system) to catch truncation. */
  headHash: string;
  headSeq: number;
  firstInvalid?: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' };
}

export const GENESIS_HASH = '0'.repeat(64);

export class AuditDetailsRejected extends Error {
  readonly code = 'PRIVACY.AUDIT_DETAILS_PERSONAL';
  constructor() {
    super('Audit details look like they contain an ID number or phone; audit rows carry ids only');
    this.name = 'AuditDetailsRejected';
  }
}

type HashedFields = Omit<AuditRecordRow, 'hash'>;

/** The bytes the hash covers: every column but `hash`, in a fixed order. */
export const canonicalAuditRow = (row: HashedFields): string =>
  canonicalJson([
    row.seq,
    row.id,
    row.occurredAt,
    row.action,
    row.actorUserId,
    row.actorRoles,
    row.actorOrgUnitId,
    row.resourceType,
    row.resourceId,
    row.subjectId,
    row.field,
    row.purpose,
    row.result,
    row.correlationId,
    row.details,
    row.prevHash,
  ]);

/** hash = sha256(prev_hash ‖ canonical row), like the event streams' chain. */
export const auditRowHash = (row: HashedFields): string =>
  createHash('sha256').update(row.prevHash).update('\n').update(canonicalAuditRow(row)).digest('hex');

const toRecord = (row: AuditRecordRow): AuditRecord => ({
  seq: Number(row.seq),
  id: row.id,
  occurredAt: row.occurredAt,
  action: row.action,
  actorUserId: row.actorUserId,
  actorRoles: row.actorRoles ? row.actorRoles.split(',') : [],
  actorOrgUnitId: row.actorOrgUnitId,
  resourceType: row.resourceType,
  resourceId: row.resourceId,
  subjectId: row.subjectId,
  field: row.field,
  purpose: row.purpose,
  result: row.result,
  correlationId: row.correlationId,
  details: row.details ? (JSON.parse(row.details) as Record<string, JsonValue>) : null,
  prevHash: row.prevHash,
  hash: row.hash,
});

const clip = (v: string | null | undefined, max: number): string | null => (v == null ? null : v.slice(0, max));

/**
 * The append-only, hash-chained audit log (RELIABILITY.md §4.4). Appends are serialized (a queue
 * in this process, a transaction-scoped advisory lock on PostgreSQL across processes); `seq` is
 * the primary key and `prev_hash` unique, so even a writer that bypassed both could not fork it.
 */
export class AuditLog {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    return withWriteLock(this.ds, () => this.ds.transaction((m) => this.appendIn(m, entry)));
  }

  /**
   * Appends inside the caller's transaction, so the audit row commits or rolls back with the
   * change it records. The caller must hold `withWriteLock` for this DataSource.
   */
  async appendIn(manager: EntityManager, entry: AuditEntry): Promise<AuditRecord> {
    if (entry.details !== undefined && containsPersonalPattern(canonicalJson(entry.details))) throw new AuditDetailsRejected();
    if (dialectOf(manager) === 'postgres') {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gongzhi.audit_log:${tableName(manager, AuditRecordRow)}`]);
    }
    const head = await manager
      .createQueryBuilder(AuditRecordRow, 'a')
      .select(['a.seq', 'a.hash'])
      .orderBy('a.seq', 'DESC')
      .limit(1)
      .getOne();
    const fields: HashedFields = {
      seq: head ? Number(head.seq) + 1 : 1,
      id: randomUUID(),
      occurredAt: this.clock().toISOString(),
      action: entry.action,
      actorUserId: entry.actor.userId,
      actorRoles: [...(entry.actor.roles ?? [])].join(','),
      actorOrgUnitId: entry.actor.orgUnitId ?? null,
      resourceType: clip(entry.resourceType, 100),
      resourceId: clip(entry.resourceId, 200),
      subjectId: entry.subjectId ?? null,
      field: clip(entry.field, 100),
      purpose: clip(entry.purpose, 200),
      result: entry.result ?? 'allowed',
      correlationId: clip(entry.correlationId, 200),
      details: entry.details === undefined ? null : canonicalJson(entry.details),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const row = { ...fields, hash: auditRowHash(fields) };
    await manager.insert(AuditRecordRow, row);
    return toRecord(row as AuditRecordRow);
  }

  /** Newest first is what an investigator wants; `after` is the `seq` cursor of the previous page. */
  async list(options: { first?: number; after?: number; filter?: AuditFilter } = {}): Promise<AuditPage> {
    const first = Math.min(Math.max(options.first ?? 50, 1), 500);
    const qb = this.ds.manager.createQueryBuilder(AuditRecordRow, 'a').orderBy('a.seq', 'DESC').take(first + 1);
    if (options.after !== undefined) qb.andWhere('a.seq < :after', { after: options.after });
    const f = options.filter ?? {};
    qb.andWhere(
      new Brackets((w) => {
        w.where('1 = 1');
        if (f.action) w.andWhere('a.action = :action', { action: f.action });
        if (f.actorUserId) w.andWhere('a.actor_user_id = :actor', { actor: f.actorUserId });
        if (f.subjectId) w.andWhere('a.subject_id = :subject', { subject: f.subjectId });
        if (f.correlationId) w.andWhere('a.correlation_id = :corr', { corr: f.correlationId });
        if (f.from) w.andWhere('a.occurred_at >= :from', { from: new Date(f.from).toISOString() });
        if (f.to) w.andWhere('a.occurred_at < :to', { to: new Date(f.to).toISOString() });
      }),
    );
    const rows = await qb.getMany();
    const page = rows.slice(0, first).map(toRecord);
    return { records: page, endCursor: page.length ? page[page.length - 1].seq : null, hasNextPage: rows.length > first };
  }

  /**
   * Recomputes the chain from the first row. Finds an altered row (hash_mismatch), a removed or
   * reordered row (gap / broken_link). Truncating the newest rows is only visible against an
   * anchored head hash, which the report returns for that purpose.
   */
  async verify(options: { batchSize?: number } = {}): Promise<AuditChainReport> {
    const batch = options.batchSize ?? 1000;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await this.ds.manager
        .createQueryBuilder(AuditRecordRow, 'a')
        .where('a.seq >= :from', { from: expectedSeq })
        .orderBy('a.seq', 'ASC')
        .take(batch)
        .getMany();
      for (const row of rows) {
        const seq = Number(row.seq);
        const fail = (reason: 'hash_mismatch' | 'broken_link' | 'gap'): AuditChainReport => ({
          valid: false,
          checked,
          headHash: prevHash,
          headSeq: expectedSeq - 1,
          firstInvalid: { seq, reason },
        });
        if (seq !== expectedSeq) return fail('gap');
        if (row.prevHash !== prevHash) return fail('broken_link');
        const { hash, ...fields } = row;
        if (auditRowHash({ ...fields, seq }) !== hash) return fail('hash_mismatch');
        prevHash = hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < batch) return { valid: true, checked, headHash: prevHash, headSeq: expectedSeq - 1 };
    }
  }
}

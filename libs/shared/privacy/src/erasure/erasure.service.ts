import type { DataSource } from 'typeorm';
import type { CommandProcessor, RequestContext } from '@gongzhi/eventsourcing';
import type { AuditLog } from '../audit/audit-log';
import type { BlindIndex } from '../keys/blind-index';
import { assertSubjectId } from '../keys/subject-id';
import type { PersonalDataVault } from '../keys/vault';
import { withWriteLock } from '../write-lock';
import { dataSubjectDecider, dataSubjectStream } from './data-subject.decider';
import type { ErasedColumnsReport, PersonalDataColumns } from './personal-data-columns';

/** The erasure appends through the command processor, like any other command. */
export type CommandHandling = Pick<CommandProcessor, 'handle'>;

export interface ErasureResult {
  subjectId: string;
  /** False when the subject had already been erased (no new event, nothing left to destroy). */
  erasedNow: boolean;
  /** Id of the SubjectErased event (of this request, or of the earlier one). */
  eventId?: string;
  keyVersionsDestroyed: number[];
  blindIndexRowsDeleted: number;
  readModelRows: ErasedColumnsReport[];
  auditSeq: number;
}

export interface ErasureDeps {
  /** The privacy store: subject_keys, subject_blind_index, audit_log. */
  privacyStore: DataSource;
  /** The read store holding projections (PersonalDataColumns); may be the same DataSource. */
  readStore?: DataSource;
  vault: PersonalDataVault;
  blindIndex: BlindIndex;
  audit: AuditLog;
  columns: PersonalDataColumns;
  commands: CommandHandling;
}

/**
 * Forgetting a person (PIPL Art 47), RELIABILITY.md §4.2 step 4:
 * 1. append a PII-free SubjectErased to `privacy.subject-<id>`: the durable decision, idempotent
 *    per commandId, and what downstream systems and other read stores react to;
 * 2. in one privacy-store transaction: destroy every key version, delete the blind-index rows,
 *    clear the declared read-model columns (same transaction when the read store is the same
 *    database), write the audit row.
 * A crash between 1 and 2 is repaired by running the request again (step 1 is then a no-op and
 * step 2 idempotent) or by SubjectErasedHandler when projections meet the event.
 */
export class ErasureService {
  constructor(private readonly deps: ErasureDeps) {}

  async forgetSubject(subjectId: string, basis: string, ctx: RequestContext): Promise<ErasureResult> {
    assertSubjectId(subjectId);
    const result = await this.deps.commands.handle(
      dataSubjectDecider,
      dataSubjectStream(subjectId),
      { type: 'ForgetSubject', data: { subjectId, basis } },
      ctx,
    );
    const shred = await this.shred(subjectId, {
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      basis,
      eventId: result.events[0]?.id,
    });
    return { subjectId, erasedNow: result.events.length > 0 && !result.idempotentReplay, eventId: result.events[0]?.id, ...shred };
  }

  /** Step 2 alone (idempotent): for a SubjectErased met by a reactor, or to finish an interrupted erasure. */
  async shred(
    subjectId: string,
    by: { actor: { userId: string; roles?: readonly string[]; orgUnitId?: string }; correlationId?: string; basis?: string; eventId?: string },
  ): Promise<Omit<ErasureResult, 'subjectId' | 'erasedNow' | 'eventId'>> {
    assertSubjectId(subjectId);
    const { privacyStore, vault, blindIndex, audit, columns } = this.deps;
    const readStore = this.deps.readStore ?? privacyStore;
    const shared = readStore === privacyStore;
    const outcome = await withWriteLock(privacyStore, () =>
      privacyStore.transaction(async (m) => {
        const keyVersionsDestroyed = await vault.destroyKeys(subjectId, m);
        const blindIndexRowsDeleted = await blindIndex.deleteForSubject(subjectId, m);
        const readModelRows = shared ? await columns.erase(m, subjectId) : [];
        const record = await audit.appendIn(m, {
          action: 'erasure',
          actor: by.actor,
          subjectId,
          resourceType: 'data-subject',
          resourceId: subjectId,
          purpose: by.basis,
          correlationId: by.correlationId,
          result: 'allowed',
          details: {
            keyVersionsDestroyed,
            blindIndexRowsDeleted,
            readModelRows: readModelRows.reduce((n, r) => n + r.rows, 0),
            ...(by.eventId ? { eventId: by.eventId } : {}),
          },
        });
        return { keyVersionsDestroyed, blindIndexRowsDeleted, readModelRows, auditSeq: record.seq };
      }),
    );
    if (!shared) {
      outcome.readModelRows = await withWriteLock(readStore, () => readStore.transaction((m) => columns.erase(m, subjectId)));
    }
    vault.evict(subjectId);
    if (outcome.keyVersionsDestroyed.length > 0) vault.metrics.erasures.inc();
    await scrubSqlite(privacyStore);
    if (!shared) await scrubSqlite(readStore);
    return outcome;
  }
}

/**
 * SQLite keeps deleted bytes in free pages and old page images in the WAL. secure_delete zeroes
 * freed content, and a TRUNCATE checkpoint empties the WAL, so the shredded key and the cleared
 * columns do not linger in the files (best effort: a checkpoint cannot finish under a reader).
 */
const scrubSqlite = async (ds: DataSource): Promise<void> => {
  if (ds.options.type !== 'better-sqlite3') return;
  await withWriteLock(ds, async () => {
    await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
  });
};

import type { RequestContext } from '@gongzhi/eventsourcing';
import type { AuditLog } from '../audit/audit-log';
import type { ErasureService } from '../erasure/erasure.service';
import { isSubjectId } from '../keys/subject-id';

/** Where a CLI command writes; the CLI's own Io fits. */
export interface PrivacyCliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `gongzhi audit verify`: recomputes the audit log's hash chain. Returns the exit code (0 intact,
 * 1 broken) and prints the head hash, which an operator can anchor elsewhere to catch truncation.
 */
export const auditVerifyCommand = async (audit: AuditLog, io: PrivacyCliIo): Promise<number> => {
  const report = await audit.verify();
  if (report.valid) {
    io.out(`audit log: ${report.checked} row(s), hash chain intact; head ${report.headSeq} ${report.headHash}`);
    return 0;
  }
  const f = report.firstInvalid;
  io.out(`audit log BROKEN at row ${f?.seq}: ${f?.reason} (${report.checked} row(s) verified before it)`);
  return 1;
};

/**
 * `gongzhi forget-subject <id> --basis …`: the same erasure as the forgetSubject mutation, as the
 * operator the CLI runs for (a platform admin over the whole tree).
 */
export const forgetSubjectCommand = async (
  erasure: ErasureService,
  subjectId: string,
  options: { basis: string; commandId?: string; operator: string; correlationId: string },
  io: PrivacyCliIo,
): Promise<number> => {
  if (!isSubjectId(subjectId)) {
    io.err('forget-subject needs a data subject id (a UUID)');
    return 2;
  }
  const ctx: RequestContext = {
    actor: { userId: options.operator, roles: ['admin'], orgUnitId: 'root', orgUnitPath: '/' },
    correlationId: options.correlationId,
    ...(options.commandId ? { commandId: options.commandId } : {}),
  };
  const result = await erasure.forgetSubject(subjectId, options.basis, ctx);
  const rows = result.readModelRows.reduce((n, r) => n + r.rows, 0);
  io.out(
    `${result.erasedNow ? 'erased' : 'already erased'} ${subjectId}: ` +
      `key versions destroyed [${result.keyVersionsDestroyed.join(', ')}], blind-index rows ${result.blindIndexRowsDeleted}, ` +
      `read-model rows cleared ${rows}, audit row ${result.auditSeq}${result.eventId ? `, event ${result.eventId}` : ''}`,
  );
  return 0;
};

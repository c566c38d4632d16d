import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { correlationIdOf, CurrentUser, ForbiddenError, toRequestContext, type Principal } from '@gongzhi/auth';
import { BadUserInputError, decodeCursor, encodeCursor, pageSize, type ConnectionShape } from '@gongzhi/graphql';
import { AuditLog, ErasureService } from '@gongzhi/privacy';
import { isPlatformAdmin } from './platform-admin';
import {
  AuditChainReportType,
  AuditLogFilter,
  AuditRecordConnection,
  AuditRecord,
  ForgetSubjectInput,
  SubjectErasureType,
} from './privacy.types';

type Req = Record<string, any> | undefined;

@Resolver()
export class PrivacyResolver {
  constructor(
    private readonly audit: AuditLog,
    private readonly erasure: ErasureService,
  ) {}

  /** Denials are audited too (RELIABILITY.md §4.4: result allowed/denied). */
  private async requireAdmin(principal: Principal, action: string, req: Req, subjectId?: string): Promise<void> {
    if (isPlatformAdmin(principal)) return;
    await this.audit.append({
      action,
      actor: { userId: principal.userId, roles: principal.roles, orgUnitId: principal.orgUnitId },
      subjectId,
      result: 'denied',
      correlationId: correlationIdOf(req),
    });
    throw new ForbiddenError('Only an admin of the whole organisation tree may do this');
  }

  @Query(() => AuditRecordConnection, { description: 'The audit log, newest first (admins of the whole tree). Reading it is audited.' })
  async auditLog(
    @CurrentUser() principal: Principal,
    @Context('req') req: Req,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    // Typed as the class (not `| null`) so the ValidationPipe sees it and validates it.
    @Args('filter', { type: () => AuditLogFilter, nullable: true }) filter?: AuditLogFilter,
  ): Promise<ConnectionShape<AuditRecord>> {
    await this.requireAdmin(principal, 'audit-read', req);
    const size = pageSize(first);
    const cursor = decodeCursor<number>(after);
    if (cursor !== undefined && (!Number.isSafeInteger(cursor) || cursor < 1)) throw new BadUserInputError('Invalid cursor');
    const page = await this.audit.list({
      first: size,
      after: cursor,
      filter: {
        action: filter?.action,
        actorUserId: filter?.actorUserId,
        subjectId: filter?.subjectId,
        correlationId: filter?.correlationId,
        from: filter?.from?.toISOString(),
        to: filter?.to?.toISOString(),
      },
    });
    await this.audit.append({
      action: 'audit-read',
      actor: { userId: principal.userId, roles: principal.roles, orgUnitId: principal.orgUnitId },
      correlationId: correlationIdOf(req),
      details: { rows: page.records.length, ...(filter?.subjectId ? { subjectId: filter.subjectId } : {}) },
    });
    const nodes: AuditRecord[] = page.records;
    const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.seq) }));
    return { edges, nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
  }

  @Query(() => AuditChainReportType, { description: 'Recomputes the audit log hash chain (admins of the whole tree).' })
  async auditChain(@CurrentUser() principal: Principal, @Context('req') req: Req): Promise<AuditChainReportType> {
    await this.requireAdmin(principal, 'audit-verify', req);
    const r = await this.audit.verify();
    return {
      valid: r.valid,
      checked: r.checked,
      headSeq: r.headSeq,
      headHash: r.headHash,
      firstInvalidSeq: r.firstInvalid?.seq ?? null,
      firstInvalidReason: r.firstInvalid?.reason ?? null,
    };
  }

  @Mutation(() => SubjectErasureType, {
    description:
      'Forgets a data subject (PIPL Art 47): destroys every key version, so all their personal data in events reads as "[已刪除]"; ' +
      'deletes blind-index rows, clears read-model columns, appends SubjectErased and an audit row. Admins of the whole tree.',
  })
  async forgetSubject(
    @CurrentUser() principal: Principal,
    @Context('req') req: Req,
    @Args('input', { type: () => ForgetSubjectInput }) input: ForgetSubjectInput,
  ): Promise<SubjectErasureType> {
    await this.requireAdmin(principal, 'erasure', req, input.subjectId);
    const result = await this.erasure.forgetSubject(
      input.subjectId,
      input.basis,
      toRequestContext(principal, { correlationId: correlationIdOf(req), commandId: input.commandId }),
    );
    return {
      subjectId: result.subjectId,
      erasedNow: result.erasedNow,
      eventId: result.eventId ?? null,
      keyVersionsDestroyed: result.keyVersionsDestroyed,
      blindIndexRowsDeleted: result.blindIndexRowsDeleted,
      readModelRowsCleared: result.readModelRows.reduce((n, r) => n + r.rows, 0),
      auditSeq: result.auditSeq,
    };
  }
}

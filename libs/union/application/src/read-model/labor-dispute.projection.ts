import type { RecordedEvent } from '@gongzhi/event-store';
import { DEADLINE_EVENT_TYPES, localMonthOf } from '@gongzhi/deadlines-domain';
import type { EventMetadata } from '@gongzhi/kernel';
import { defineProjection, findByKeys, upsertRows, type Projection, type ProjectionContext } from '@gongzhi/projections';
import {
  evolveLaborDispute,
  LABOR_DISPUTE_EVENT_TYPES,
  LaborClock,
  laborDisputeStream,
  type DisputeCase,
  type LaborDispute,
  type LaborDisputeEvent,
} from '@gongzhi/union-domain';
import type { EntityManager } from 'typeorm';
import { LaborDisputeFactRow, LaborDisputeRow } from './labor-dispute.entities';

export const LABOR_DISPUTE_PROJECTION_NAME = 'union-labor-disputes';

/** The org context's move event, as far as this projection reads it (paths rewrite by prefix). */
const ORG_UNIT_MOVED = 'OrgUnitMoved';

const DAY_MS = 86_400_000;

/** The list columns of a case; `owningOrgPath` is kept separately (it follows org moves). */
export const rowOf = (s: DisputeCase, owningOrgPath: string, revision: number): LaborDisputeRow => {
  let next: { dueAt: string; clockId: string } | null = null;
  for (const c of Object.values(s.clocks)) {
    if (c.status === 'running' && c.expiry === 'overdue' && (!next || c.dueAt < next.dueAt)) next = { dueAt: c.dueAt, clockId: c.clockId };
  }
  const limitation = s.clocks[LaborClock.limitation];
  return {
    disputeId: s.disputeId,
    orgUnitId: s.orgUnitId,
    owningOrgPath,
    status: s.status,
    category: s.category,
    groupDispute: s.group,
    stabilityWatch: s.stabilityWatch,
    workersInvolved: s.workersInvolved,
    claimAmount: s.claimAmount,
    employerName: s.employer.name,
    filedAt: s.filedAt,
    closedAt: s.closing?.closedAt ?? null,
    outcome: s.closing?.outcome ?? null,
    limitationExpiredAtFiling: s.limitation.expiredAtFiling,
    limitationDueAt: limitation && limitation.status === 'running' ? limitation.dueAt : null,
    nextObligationDueAt: next?.dueAt ?? null,
    nextObligationClock: next?.clockId ?? null,
    revision,
    updatedAt: s.updatedAt,
    // Personal data stays out of the read model: the list needs the count, not the people.
    stateJson: JSON.stringify({ ...s, workers: [] }),
  };
};

type Fact = Omit<LaborDisputeFactRow, 'disputeId' | 'kind'>;

/** KPI facts an event produces (kind → fact), or null to remove a fact. */
const factsOf = (event: LaborDisputeEvent, s: DisputeCase): Record<string, Fact | null> => {
  const at = event.metadata.occurredAt;
  const fact = (value: number): Fact => ({ owningOrgPath: event.metadata.orgUnitPath, month: localMonthOf(at), value, occurredAt: at });
  switch (event.type) {
    case 'DisputeFiled':
      return { filed: fact(1), ...(event.data.group ? { 'group-filed': fact(1) } : {}) };
    case 'MediationAgreementSigned':
      return { 'mediation-agreed': fact(1) };
    case 'MediationFailed':
    case 'MediationWindowExpired':
      return { 'mediation-failed': fact(1) };
    case 'AwardIssued':
      return { award: fact(event.data.onTime ? 1 : 0) };
    case 'DisputeClosed':
      return { closed: fact(Math.round(((Date.parse(event.data.closedAt) - Date.parse(s.filedAt)) / DAY_MS) * 10) / 10) };
    case 'DisputeReopened':
      // Counted as closed again when it closes again, in that month.
      return { closed: null };
    default:
      return {};
  }
};

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const rewritePaths = async (em: EntityManager, ctx: ProjectionContext, from: string, to: string): Promise<void> => {
  for (const entity of [LaborDisputeRow, LaborDisputeFactRow]) {
    const sql = `UPDATE ${ctx.tableName(entity)} SET owning_org_path = :to || SUBSTR(owning_org_path, :cut) WHERE owning_org_path LIKE :prefix ESCAPE '\\'`;
    const [text, values] = em.connection.driver.escapeQueryWithParameters(sql, { to, cut: from.length + 1, prefix: `${escapeLike(from)}%` }, {});
    await em.query(text, values);
  }
};

const rebase = (path: string, from: string, to: string): string => (path.startsWith(from) ? `${to}${path.slice(from.length)}` : path);

/**
 * The dispute list and the KPI facts. Each event is folded with the domain's own `evolve`, so the
 * read model cannot drift from the aggregate; the folded case is kept (without personal data) to
 * fold the next event. One keyed read and one bulk write per table and batch; every value comes
 * from the events (SP-4).
 */
export const createLaborDisputeProjection = (): Projection =>
  defineProjection({
    name: LABOR_DISPUTE_PROJECTION_NAME,
    version: 1,
    handles: [...LABOR_DISPUTE_EVENT_TYPES, ...DEADLINE_EVENT_TYPES, ORG_UNIT_MOVED],
    entities: [LaborDisputeRow, LaborDisputeFactRow],
    async apply(events: RecordedEvent[], em, ctx) {
      const disputeRows = ctx.target(LaborDisputeRow);
      const factRows = ctx.target(LaborDisputeFactRow);
      const ours = events.filter((e) => laborDisputeStream.owns(e.streamId));
      const loaded = await findByKeys(em, disputeRows, 'disputeId', ours.map((e) => laborDisputeStream.idOf(e.streamId) as string));
      const cases = new Map<string, { state: DisputeCase; path: string; revision: number }>(
        loaded.map((r) => [r.disputeId, { state: JSON.parse(r.stateJson) as DisputeCase, path: r.owningOrgPath, revision: r.revision }]),
      );
      const facts = new Map<string, LaborDisputeFactRow | null>();

      for (const recorded of events) {
        if (recorded.type === ORG_UNIT_MOVED) {
          const { previousPath, path } = recorded.data as { previousPath: string; path: string };
          await rewritePaths(em, ctx, previousPath, path);
          for (const c of cases.values()) c.path = rebase(c.path, previousPath, path);
          for (const f of facts.values()) if (f) f.owningOrgPath = rebase(f.owningOrgPath, previousPath, path);
          continue;
        }
        const disputeId = laborDisputeStream.idOf(recorded.streamId);
        if (!disputeId) continue;
        const event = { type: recorded.type, data: recorded.data, metadata: recorded.metadata as unknown as EventMetadata } as LaborDisputeEvent;
        const current = cases.get(disputeId);
        const before: LaborDispute = current?.state ?? { status: 'None' };
        const after = evolveLaborDispute(before, event);
        if (after.status === 'None') continue;
        const path = event.type === 'DisputeFiled' || event.type === 'DisputeTransferred' || !current ? event.metadata.orgUnitPath : current.path;
        cases.set(disputeId, { state: after, path, revision: recorded.revision });
        for (const [kind, fact] of Object.entries(factsOf(event, after))) {
          facts.set(`${disputeId}|${kind}`, fact && { disputeId, kind, ...fact });
        }
      }

      await upsertRows(em, disputeRows, [...cases.values()].map((c) => rowOf(c.state, c.path, c.revision)), ['disputeId']);
      const removed = [...facts].filter(([, f]) => f === null).map(([key]) => key.split('|'));
      for (const [disputeId, kind] of removed) await em.getRepository(factRows).delete({ disputeId, kind });
      await upsertRows(em, factRows, [...facts.values()].filter((f): f is LaborDisputeFactRow => f !== null), ['disputeId', 'kind']);
    },
  });

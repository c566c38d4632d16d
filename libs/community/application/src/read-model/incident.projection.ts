import type { RecordedEvent } from '@gongzhi/event-store';
import type { NewEvent } from '@gongzhi/kernel';
import {
  INCIDENT_EVENT_TYPES,
  incidentStream,
  isOpenStatus,
  isSatisfied,
  SUPERVISION_LEVELS,
  type IncidentEvent,
  type IncidentStatus,
} from '@gongzhi/community-domain';
import { DEADLINE_EVENT_TYPES, localMonthOf } from '@gongzhi/deadlines-domain';
import { defineProjection, findByKeys, upsertRows, type Projection } from '@gongzhi/projections';
import { IncidentKpiRow, IncidentRow, INCIDENT_READ_MODEL_ENTITIES } from './incident.entities';
import { orgMoveOf, parentPath, rebase, rebaseColumn, rebaseNullable } from './org-moves';

export const INCIDENT_PROJECTION_NAME = 'community-incidents';

type Counter = Exclude<keyof IncidentKpiRow, 'orgUnitId' | 'month' | 'level' | 'communityId' | 'owningOrgPath'>;
const COUNTERS: readonly Counter[] = [
  'reported',
  'responded',
  'filed',
  'closed',
  'closedOnTime',
  'closedReworked',
  'reworkOrders',
  'overdue',
  'supervised',
  'satisfactionAsked',
  'satisfactionYes',
];

type KpiDelta = Pick<IncidentKpiRow, 'orgUnitId' | 'month' | 'level' | 'communityId' | 'owningOrgPath'> & Record<Counter, number>;

/** First actions that count as the unit's response (響應) to a report or an order. */
const RESPONSES: ReadonlySet<string> = new Set([
  'IncidentAccepted',
  'IncidentVoided',
  'IncidentDispatched',
  'IncidentReturned',
  'ExtensionNotified',
  'DispatchObjected',
  'WorkOrderReturned',
  'HandlingReported',
  'CallerReplied',
]);

const level = (l: string | null): number => (l === null ? -1 : (SUPERVISION_LEVELS as readonly string[]).indexOf(l));

const setStatus = (row: IncidentRow, status: IncidentStatus): void => {
  row.status = status;
  row.open = isOpenStatus(status);
};

const newRow = (e: RecordedEvent, fields: Partial<IncidentRow> & Pick<IncidentRow, 'incidentId' | 'channel' | 'status' | 'communityId'>): IncidentRow => ({
  gridId: null,
  owningOrgPath: String(e.metadata.orgUnitPath),
  responsibleOrgUnitId: null,
  responsiblePath: null,
  categoryCode: null,
  categoryKind: null,
  categoryName: null,
  hotlineCategory: null,
  ticketNumber: null,
  address: '',
  description: '',
  reporterSubjectId: null,
  reportedAt: String(e.metadata.occurredAt),
  reportedMonth: localMonthOf(String(e.metadata.occurredAt)),
  respondedAt: null,
  filedAt: null,
  dispatchedAt: null,
  dueAt: null,
  clockStatus: null,
  deadlinePolicyId: null,
  handledAt: null,
  closedAt: null,
  closedOnTime: null,
  wasLate: false,
  reworkCount: 0,
  supervisionCount: 0,
  supervisionLevel: null,
  satisfaction: null,
  duplicateOf: null,
  duplicateCount: 0,
  updatedAt: String(e.metadata.occurredAt),
  revision: e.revision,
  open: true,
  ...fields,
});

const categoryFields = (c: { code: string; kind: string; majorName: string; minorName: string } | null) =>
  c ? { categoryCode: c.code, categoryKind: c.kind, categoryName: `${c.majorName}/${c.minorName}` } : {};

/**
 * The incident board and the monthly KPI counters, from the incident streams (their own events
 * and the clock events of their time limit) and the org context's moves. One projection owns
 * both tables, so the counters always agree with the rows they summarize. Everything is derived
 * from the events (SP-4): no clock, no database `now()`.
 */
export const createIncidentProjection = (): Projection =>
  defineProjection({
    name: INCIDENT_PROJECTION_NAME,
    version: 1,
    handles: [...INCIDENT_EVENT_TYPES, ...DEADLINE_EVENT_TYPES, 'OrgUnitMoved'],
    entities: INCIDENT_READ_MODEL_ENTITIES,
    async apply(events: RecordedEvent[], em, ctx) {
      const boardTarget = ctx.target(IncidentRow);
      const kpiTarget = ctx.target(IncidentKpiRow);
      const ids = events.map((e) => incidentStream.idOf(e.streamId)).filter((id): id is string => id !== undefined);
      const rows = new Map((await findByKeys(em, boardTarget, 'incidentId', ids)).map((r) => [r.incidentId, { ...r }]));
      const deltas = new Map<string, KpiDelta>();

      const count = (row: IncidentRow, month: string, counter: Counter): void => {
        const communityPath = row.gridId ? parentPath(row.owningOrgPath) : row.owningOrgPath;
        const units: [string, 'community' | 'grid', string][] = [[row.communityId, 'community', communityPath]];
        if (row.gridId) units.push([row.gridId, 'grid', row.owningOrgPath]);
        for (const [orgUnitId, lvl, path] of units) {
          const key = `${orgUnitId}|${month}`;
          let d = deltas.get(key);
          if (!d) {
            d = { orgUnitId, month, level: lvl, communityId: row.communityId, owningOrgPath: path, ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) } as KpiDelta;
            deltas.set(key, d);
          }
          d.owningOrgPath = path;
          d[counter] += 1;
        }
      };

      const flush = async (): Promise<void> => {
        await upsertRows(em, boardTarget, [...rows.values()], ['incidentId']);
        if (deltas.size === 0) return;
        const stored = await findByKeys(em, kpiTarget, 'orgUnitId', [...new Set([...deltas.values()].map((d) => d.orgUnitId))]);
        const current = new Map(stored.map((r) => [`${r.orgUnitId}|${r.month}`, r]));
        await upsertRows(
          em,
          kpiTarget,
          [...deltas.entries()].map(([key, d]) => {
            const c = current.get(key);
            return { ...d, ...Object.fromEntries(COUNTERS.map((k) => [k, (c?.[k] ?? 0) + d[k]])) };
          }),
          ['orgUnitId', 'month'],
        );
        deltas.clear();
      };

      for (const e of events) {
        const move = orgMoveOf(e);
        if (move) {
          // Rows seen so far are written with their old paths, then every stored path is rebased.
          await flush();
          await rebaseColumn(em, boardTarget, 'owningOrgPath', 'owning_org_path', move);
          await rebaseColumn(em, boardTarget, 'responsiblePath', 'responsible_path', move);
          await rebaseColumn(em, kpiTarget, 'owningOrgPath', 'owning_org_path', move);
          for (const row of rows.values()) {
            row.owningOrgPath = rebase(row.owningOrgPath, move);
            row.responsiblePath = rebaseNullable(row.responsiblePath, move);
          }
          continue;
        }
        const incidentId = incidentStream.idOf(e.streamId);
        if (!incidentId) continue;
        const at = String(e.metadata.occurredAt);
        const month = localMonthOf(at);
        const event = { type: e.type, data: e.data } as NewEvent<IncidentEvent>;

        if (event.type === 'IncidentReported') {
          const d = event.data;
          const row = newRow(e, {
            incidentId,
            channel: d.channel,
            status: 'Reported',
            communityId: d.communityId,
            gridId: d.gridId,
            address: d.location.address,
            description: d.description,
            reporterSubjectId: d.reporter?.subjectId ?? null,
            reportedAt: d.reportedAt,
            reportedMonth: localMonthOf(d.reportedAt),
          });
          rows.set(incidentId, row);
          count(row, row.reportedMonth, 'reported');
          continue;
        }
        if (event.type === 'HotlineWorkOrderReceived') {
          const d = event.data;
          const row = newRow(e, {
            incidentId,
            channel: 'hotline',
            status: 'Dispatched',
            communityId: d.communityId,
            gridId: d.gridId,
            responsibleOrgUnitId: d.gridId ?? d.communityId,
            responsiblePath: String(e.metadata.orgUnitPath),
            ...categoryFields(d.category),
            hotlineCategory: d.hotlineCategory,
            ticketNumber: d.ticketNumber,
            address: d.location.address,
            description: d.description,
            reporterSubjectId: d.reporter?.subjectId ?? null,
            reportedAt: d.receivedAt,
            reportedMonth: localMonthOf(d.receivedAt),
            filedAt: d.receivedAt,
            dispatchedAt: d.receivedAt,
          });
          rows.set(incidentId, row);
          count(row, row.reportedMonth, 'reported');
          count(row, row.reportedMonth, 'filed');
          continue;
        }
        const row = rows.get(incidentId);
        if (!row) continue;
        row.updatedAt = at;
        row.revision = e.revision;
        if (row.respondedAt === null && RESPONSES.has(event.type)) {
          row.respondedAt = at;
          count(row, row.reportedMonth, 'responded');
        }
        const lateAt = (when: string) => {
          if (row.dueAt !== null && row.clockStatus === 'running' && Date.parse(when) >= Date.parse(row.dueAt)) row.wasLate = true;
        };

        switch (event.type) {
          case 'IncidentAccepted':
            setStatus(row, 'Accepted');
            break;
          case 'IncidentVoided':
            setStatus(row, 'Voided');
            row.duplicateOf = event.data.duplicateOf;
            break;
          case 'DuplicateLinked':
            row.duplicateCount += 1;
            break;
          case 'IncidentFiled':
            setStatus(row, 'Filed');
            Object.assign(row, categoryFields(event.data.category));
            row.filedAt = event.data.filedAt;
            count(row, month, 'filed');
            break;
          case 'IncidentDispatched':
            setStatus(row, 'Dispatched');
            row.responsibleOrgUnitId = event.data.toOrgUnitId;
            row.responsiblePath = event.data.toOrgUnitPath;
            row.dispatchedAt = event.data.dispatchedAt;
            break;
          case 'IncidentReturned':
            if (row.channel === 'hotline') {
              row.responsibleOrgUnitId = row.gridId ?? row.communityId;
              row.responsiblePath = row.owningOrgPath;
            } else {
              setStatus(row, 'Filed');
              row.responsibleOrgUnitId = null;
              row.responsiblePath = null;
            }
            break;
          case 'IncidentParked':
            setStatus(row, 'Parked');
            break;
          case 'IncidentUnparked':
            setStatus(row, 'Dispatched');
            break;
          case 'HandlingReported':
            // A grid case's limit covers the handling; the clock stop follows in the same batch.
            if (row.channel !== 'hotline') lateAt(event.data.reportedAt);
            setStatus(row, 'Handled');
            row.handledAt = event.data.reportedAt;
            break;
          case 'VerificationPassed':
            setStatus(row, 'Verified');
            break;
          case 'VerificationFailed':
            setStatus(row, 'Dispatched');
            break;
          case 'IncidentReworkOrdered':
            setStatus(row, 'Dispatched');
            row.reworkCount = event.data.reworkCount;
            count(row, month, 'reworkOrders');
            break;
          case 'IncidentClosed':
            setStatus(row, 'Closed');
            row.closedAt = event.data.closedAt;
            row.closedOnTime = !row.wasLate;
            count(row, month, 'closed');
            if (row.closedOnTime) count(row, month, 'closedOnTime');
            if (row.reworkCount > 0) count(row, month, 'closedReworked');
            break;
          case 'IncidentEvaluated':
            setStatus(row, 'Evaluated');
            if (event.data.satisfaction) {
              row.satisfaction = event.data.satisfaction;
              count(row, month, 'satisfactionAsked');
              if (isSatisfied(event.data.satisfaction)) count(row, month, 'satisfactionYes');
            }
            break;
          case 'DispatchObjected':
            setStatus(row, 'UnderReview');
            break;
          case 'DispatchObjectionResolved':
            setStatus(row, event.data.outcome === 'upheld' ? 'Dispatched' : 'ReturnedToCenter');
            break;
          case 'WorkOrderReturned':
            setStatus(row, 'ReturnedToCenter');
            break;
          case 'HotlineWorkOrderRedispatched':
            setStatus(row, 'Dispatched');
            row.responsibleOrgUnitId = row.gridId ?? row.communityId;
            row.responsiblePath = row.owningOrgPath;
            row.dispatchedAt = event.data.receivedAt;
            break;
          case 'CallerReplied':
            lateAt(event.data.repliedAt);
            setStatus(row, 'Replied');
            row.handledAt ??= event.data.repliedAt;
            break;
          case 'CallbackRecorded':
            row.satisfaction = event.data.satisfaction;
            count(row, month, 'satisfactionAsked');
            if (isSatisfied(event.data.satisfaction)) count(row, month, 'satisfactionYes');
            break;
          case 'IncidentOverdue':
            row.wasLate = true;
            count(row, month, 'overdue');
            break;
          case 'SupervisionRaised':
            row.supervisionCount += 1;
            if (level(event.data.level) > level(row.supervisionLevel)) row.supervisionLevel = event.data.level;
            count(row, month, 'supervised');
            break;
          case 'DeadlineStarted':
            row.dueAt = event.data.dueAt;
            row.clockStatus = 'running';
            row.deadlinePolicyId = event.data.policyId;
            break;
          case 'DeadlineExtended':
            row.dueAt = event.data.dueAt;
            break;
          case 'DeadlinePaused':
            row.clockStatus = 'paused';
            break;
          case 'DeadlineResumed':
          case 'DeadlineRestarted':
            row.dueAt = event.data.dueAt;
            row.clockStatus = 'running';
            break;
          case 'DeadlineStopped':
            row.clockStatus = 'stopped';
            break;
          default:
            break;
        }
      }
      await flush();
    },
  });

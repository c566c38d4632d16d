import type { RecordedEvent } from '@gongzhi/event-store';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { findByKeys, upsertRows } from '../bulk';
import { defineProjection, type Projection } from '../projection';

/**
 * The example projection the tests and the throughput measurement use: a board of cases and
 * per-org-unit counters. It shows the batch pattern: one keyed read per table, a fold in
 * memory, one bulk upsert per table, and nothing taken from the clock (SP-4).
 */
@Entity('pt_case_board')
@Index('IDX_pt_case_board_status', ['status'])
export class CaseBoardRow {
  @PrimaryColumn('varchar', { length: 100 }) caseId!: string;
  @Index() @Column('varchar', { length: 200 }) orgUnitPath!: string;
  @Column('varchar', { length: 200 }) title!: string;
  @Column('varchar', { length: 20 }) status!: string;
  @Column('integer') amountTotal!: number;
  /** Events applied to this case: equals lastRevision + 1 iff each was applied exactly once. */
  @Column('integer') eventCount!: number;
  @Column('integer') lastRevision!: number;
  @Column('varchar', { length: 40 }) lastPosition!: string;
  @Column('varchar', { length: 40 }) openedAt!: string;
}

@Entity('pt_org_case_stats')
export class OrgCaseStatsRow {
  @PrimaryColumn('varchar', { length: 200 }) orgUnitPath!: string;
  @Column('integer') openCases!: number;
  @Column('integer') closedCases!: number;
  @Column('integer') events!: number;
}

export const CASE_BOARD_ENTITIES = [CaseBoardRow, OrgCaseStatsRow];

type CaseEventData = { caseId: string; orgUnitPath?: string; title?: string; amount?: number; outcome?: string; poison?: boolean };

export interface CaseBoardOptions {
  name?: string;
  version?: number;
  /** Makes apply throw for the events it returns true for (a poison event, SP-5). */
  failOn?: (event: RecordedEvent) => boolean;
  /** Called inside apply after the writes, before the checkpoint (crash injection). */
  afterWrites?: (events: RecordedEvent[]) => Promise<void>;
}

export const caseBoardProjection = (options: CaseBoardOptions = {}): Projection =>
  defineProjection({
    name: options.name ?? 'case-board',
    version: options.version ?? 1,
    handles: ['CaseOpened', 'CaseNoted', 'CaseClosed'],
    entities: CASE_BOARD_ENTITIES,
    async apply(events, em, ctx) {
      for (const e of events) {
        if (options.failOn?.(e)) throw new Error(`cannot project ${e.type} ${e.id}`);
      }
      const cases = ctx.target(CaseBoardRow);
      const stats = ctx.target(OrgCaseStatsRow);
      const data = (e: RecordedEvent) => e.data as CaseEventData;
      const rows = new Map(
        (await findByKeys(em, cases, 'caseId', events.map((e) => data(e).caseId))).map((r) => [r.caseId, { ...r }]),
      );
      const deltas = new Map<string, { open: number; closed: number; events: number }>();
      const delta = (org: string) => {
        let d = deltas.get(org);
        if (!d) deltas.set(org, (d = { open: 0, closed: 0, events: 0 }));
        return d;
      };
      for (const e of events) {
        const d = data(e);
        let row = rows.get(d.caseId);
        if (e.type === 'CaseOpened') {
          row = {
            caseId: d.caseId,
            orgUnitPath: d.orgUnitPath ?? '',
            title: d.title ?? '',
            status: 'open',
            amountTotal: d.amount ?? 0,
            eventCount: 0,
            lastRevision: -1,
            lastPosition: '0',
            openedAt: String(e.metadata.occurredAt ?? ''),
          };
          rows.set(d.caseId, row);
          delta(row.orgUnitPath).open += 1;
        } else if (!row) {
          throw new Error(`${e.type} for unknown case ${d.caseId}`);
        } else if (e.type === 'CaseNoted') {
          row.amountTotal += d.amount ?? 0;
        } else if (e.type === 'CaseClosed' && row.status === 'open') {
          row.status = d.outcome ?? 'closed';
          delta(row.orgUnitPath).open -= 1;
          delta(row.orgUnitPath).closed += 1;
        }
        row.eventCount += 1;
        row.lastRevision = e.revision;
        row.lastPosition = e.position.toString();
        delta(row.orgUnitPath).events += 1;
      }
      const current = new Map((await findByKeys(em, stats, 'orgUnitPath', [...deltas.keys()])).map((r) => [r.orgUnitPath, r]));
      await upsertRows(em, cases, [...rows.values()], ['caseId']);
      await upsertRows(
        em,
        stats,
        [...deltas].map(([org, d]) => {
          const c = current.get(org);
          return {
            orgUnitPath: org,
            openCases: (c?.openCases ?? 0) + d.open,
            closedCases: (c?.closedCases ?? 0) + d.closed,
            events: (c?.events ?? 0) + d.events,
          };
        }),
        ['orgUnitPath'],
      );
      await options.afterWrites?.(events);
    },
  });

import type { RecordedEvent } from '@gongzhi/event-store';
import type { Command, Decider, Event } from '@gongzhi/kernel';
import { defineProjection, findByKeys, upsertRows, type Projection } from '@gongzhi/projections';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { hoursCredited } from './workload';

type Hours = ReturnType<typeof hoursCredited>;

export type CreditHours = Command<'CreditHours', Hours>;
export type HoursCredited = Event<'VolunteerHoursCredited', Hours>;
export interface LedgerState {
  entries: number;
  hours: number;
}

/**
 * The smallest real decider: every command becomes one ~300-byte event, and the state is a fold
 * over all of them, so the command path does its whole job (read, fold, decide, append).
 */
export const ledgerDecider: Decider<LedgerState, CreditHours, HoursCredited> = {
  initialState: { entries: 0, hours: 0 },
  decide: (command) => [{ type: 'VolunteerHoursCredited', data: command.data }],
  evolve: (state, event) => ({ entries: state.entries + 1, hours: state.hours + event.data.hours }),
};

/** One row per volunteer (stream): the usual "summary per aggregate" read model. */
@Entity('bench_volunteer_hours')
export class VolunteerHoursRow {
  @PrimaryColumn('varchar', { length: 120 }) volunteerStream!: string;
  @Column('double precision') totalHours!: number;
  @Column('integer') entries!: number;
  @Column('varchar', { length: 60 }) lastCategory!: string;
  @Column('integer') lastRevision!: number;
  @Column('varchar', { length: 40 }) lastPosition!: string;
}

/** Totals per service category: a hot row that every batch updates. */
@Entity('bench_category_hours')
export class CategoryHoursRow {
  @PrimaryColumn('varchar', { length: 60 }) category!: string;
  @Column('double precision') totalHours!: number;
  @Column('integer') entries!: number;
}

export const BENCH_ENTITIES = [VolunteerHoursRow, CategoryHoursRow];

/**
 * A batching projection (the pattern the projections library recommends): one keyed read and
 * one bulk upsert per table per batch, the fold in memory.
 */
export const volunteerHoursProjection = (name = 'bench-volunteer-hours'): Projection =>
  defineProjection({
    name,
    version: 1,
    handles: ['VolunteerHoursCredited'],
    entities: BENCH_ENTITIES,
    async apply(events: RecordedEvent[], em, ctx) {
      const volunteers = ctx.target(VolunteerHoursRow);
      const categories = ctx.target(CategoryHoursRow);
      const rows = new Map(
        (await findByKeys(em, volunteers, 'volunteerStream', events.map((e) => e.streamId))).map((r) => [r.volunteerStream, r]),
      );
      const totals = new Map<string, { totalHours: number; entries: number }>();
      for (const e of events) {
        const d = e.data as Hours;
        let row = rows.get(e.streamId);
        if (!row) {
          row = { volunteerStream: e.streamId, totalHours: 0, entries: 0, lastCategory: '', lastRevision: -1, lastPosition: '0' };
          rows.set(e.streamId, row);
        }
        row.totalHours += d.hours;
        row.entries += 1;
        row.lastCategory = d.category;
        row.lastRevision = e.revision;
        row.lastPosition = e.position.toString();
        const t = totals.get(d.category) ?? { totalHours: 0, entries: 0 };
        t.totalHours += d.hours;
        t.entries += 1;
        totals.set(d.category, t);
      }
      const current = new Map((await findByKeys(em, categories, 'category', [...totals.keys()])).map((r) => [r.category, r]));
      await upsertRows(em, volunteers, [...rows.values()], ['volunteerStream']);
      await upsertRows(
        em,
        categories,
        [...totals].map(([category, t]) => ({
          category,
          totalHours: (current.get(category)?.totalHours ?? 0) + t.totalHours,
          entries: (current.get(category)?.entries ?? 0) + t.entries,
        })),
        ['category'],
      );
    },
  });

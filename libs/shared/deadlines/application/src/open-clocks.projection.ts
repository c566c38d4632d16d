import type { RecordedEvent } from '@gongzhi/event-store';
import { DEADLINE_EVENT_TYPES, type DeadlineEvent } from '@gongzhi/deadlines-domain';
import { assertNever } from '@gongzhi/kernel';
import { deleteByKeys, defineProjection, findByKeys, upsertRows, type Projection } from '@gongzhi/projections';
import { OpenClockRow } from './entities';

export const OPEN_CLOCKS_PROJECTION_NAME = 'deadline-open-clocks';

export const clockKeyOf = (streamId: string, clockId: string): string => `${streamId}#${clockId}`;

/**
 * The open clocks of every aggregate of every context, from the shared clock events: what the
 * scheduler reads. One keyed read and one bulk write per batch; every value comes from the
 * events (SP-4).
 */
export const createOpenClocksProjection = (): Projection =>
  defineProjection({
    name: OPEN_CLOCKS_PROJECTION_NAME,
    version: 1,
    handles: DEADLINE_EVENT_TYPES,
    entities: [OpenClockRow],
    async apply(events: RecordedEvent[], em, ctx) {
      const target = ctx.target(OpenClockRow);
      const keyOf = (e: RecordedEvent) => clockKeyOf(e.streamId, (e.data as { clockId: string }).clockId);
      const rows = new Map<string, OpenClockRow | null>(
        (await findByKeys(em, target, 'clockKey', events.map(keyOf))).map((r) => [r.clockKey, { ...r }]),
      );
      for (const recorded of events) {
        const event = { type: recorded.type, data: recorded.data } as DeadlineEvent;
        const key = keyOf(recorded);
        const row = rows.get(key) ?? null;
        const at = String((recorded.metadata as { occurredAt?: unknown }).occurredAt ?? '');
        switch (event.type) {
          case 'DeadlineStarted': {
            const d = event.data;
            rows.set(key, {
              clockKey: key,
              streamId: recorded.streamId,
              clockId: d.clockId,
              policyId: d.policyId,
              version: d.version,
              source: d.source,
              length: d.length,
              unit: d.unit,
              expiry: d.expiry,
              startedAt: d.startedAt,
              dueAt: d.dueAt,
              status: 'running',
              extensions: 0,
              updatedAt: at,
            });
            break;
          }
          case 'DeadlineStopped':
            rows.set(key, null);
            break;
          case 'DeadlinePaused':
            if (row) rows.set(key, { ...row, status: 'paused', updatedAt: at });
            break;
          case 'DeadlineResumed':
            if (row) rows.set(key, { ...row, status: 'running', dueAt: event.data.dueAt, updatedAt: at });
            break;
          case 'DeadlineExtended':
            if (row) rows.set(key, { ...row, dueAt: event.data.dueAt, extensions: row.extensions + 1, updatedAt: at });
            break;
          case 'DeadlineRestarted':
            if (row) rows.set(key, { ...row, status: 'running', startedAt: event.data.at, dueAt: event.data.dueAt, updatedAt: at });
            break;
          default:
            assertNever(event);
        }
      }
      const open = [...rows.values()].filter((r): r is OpenClockRow => r !== null);
      const gone = [...rows].filter(([, r]) => r === null).map(([k]) => k);
      await deleteByKeys(em, target, 'clockKey', gone);
      await upsertRows(em, target, open, ['clockKey']);
    },
  });

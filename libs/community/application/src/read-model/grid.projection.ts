import type { RecordedEvent } from '@gongzhi/event-store';
import type { NewEvent } from '@gongzhi/kernel';
import { GRID_EVENT_TYPES, gridStream, type GridEvent } from '@gongzhi/community-domain';
import { defineProjection, findByKeys, upsertRows, type Projection } from '@gongzhi/projections';
import { GridRow, GRID_READ_MODEL_ENTITIES } from './grid.entities';
import { orgMoveOf, rebase, rebaseColumn } from './org-moves';

export const GRID_PROJECTION_NAME = 'community-grids';

/** The grid directory, from the grids' streams; org moves rewrite the paths. */
export const createGridProjection = (): Projection =>
  defineProjection({
    name: GRID_PROJECTION_NAME,
    version: 1,
    handles: [...GRID_EVENT_TYPES, 'OrgUnitMoved'],
    entities: GRID_READ_MODEL_ENTITIES,
    async apply(events: RecordedEvent[], em, ctx) {
      const target = ctx.target(GridRow);
      const ids = events.map((e) => gridStream.idOf(e.streamId)).filter((id): id is string => id !== undefined);
      const rows = new Map((await findByKeys(em, target, 'gridId', ids)).map((r) => [r.gridId, { ...r }]));
      const flush = async () => {
        await upsertRows(em, target, [...rows.values()], ['gridId']);
      };
      for (const e of events) {
        const move = orgMoveOf(e);
        if (move) {
          await flush();
          await rebaseColumn(em, target, 'owningOrgPath', 'owning_org_path', move);
          for (const row of rows.values()) row.owningOrgPath = rebase(row.owningOrgPath, move);
          continue;
        }
        const gridId = gridStream.idOf(e.streamId);
        if (!gridId) continue;
        const event = { type: e.type, data: e.data } as NewEvent<GridEvent>;
        const at = String(e.metadata.occurredAt);
        if (event.type === 'GridDefined') {
          const d = event.data;
          rows.set(gridId, {
            gridId,
            communityId: d.communityId,
            name: d.name,
            area: d.area,
            workerStaffId: d.workerStaffId,
            supervisionPhone: d.supervisionPhone,
            status: 'active',
            owningOrgPath: String(e.metadata.orgUnitPath),
            definedAt: d.definedAt,
            updatedAt: at,
            revision: e.revision,
          });
          continue;
        }
        const row = rows.get(gridId);
        if (!row) continue;
        if (event.type === 'GridWorkerReassigned') row.workerStaffId = event.data.toStaffId;
        else if (event.type === 'GridRetired') row.status = 'retired';
        row.updatedAt = at;
        row.revision = e.revision;
      }
      await flush();
    },
  });

import type { RecordedEvent } from '@gongzhi/event-store';
import { defineProjection, type Projection } from '@gongzhi/projections';
import { VOLUNTEER_EVENT_TYPES, type VolunteerEvent } from '@gongzhi/youth-league-domain';
import type { EntityManager } from 'typeorm';
import { VolunteerRow } from './league.entities';
import { dataOf, metadataPath, occurredAt, ORG_UNIT_MOVED, rewriteMovedPaths } from './projection-support';

export const VOLUNTEER_PROJECTION_NAME = 'league-volunteers';

type Data<T extends VolunteerEvent['type']> = Extract<VolunteerEvent, { type: T }>['data'];

/** league_volunteers: status, verification and skills of each volunteer; ids only, no names. */
export const volunteerProjection = (): Projection =>
  defineProjection({
    name: VOLUNTEER_PROJECTION_NAME,
    version: 1,
    handles: [...VOLUNTEER_EVENT_TYPES, ORG_UNIT_MOVED],
    entities: [VolunteerRow],
    async apply(events: RecordedEvent[], em: EntityManager, ctx) {
      const repo = ctx.repository(VolunteerRow);
      for (const e of events) {
        const at = occurredAt(e);
        switch (e.type) {
          case ORG_UNIT_MOVED:
            await rewriteMovedPaths(em, ctx, e, [{ entity: VolunteerRow, columns: ['owning_org_path'] }]);
            break;
          case 'VolunteerRegistered': {
            const d = dataOf<Data<'VolunteerRegistered'>>(e);
            await repo.save({
              id: d.volunteerId,
              subjectId: d.subjectId,
              homeOrgUnitId: d.homeOrgUnitId,
              owningOrgPath: metadataPath(e),
              accountUserId: d.accountUserId,
              status: 'Registered',
              verified: false,
              skills: JSON.stringify(d.skills),
              registeredVia: d.registeredVia,
              registeredAt: at,
              updatedAt: at,
              revision: e.revision,
            });
            break;
          }
          case 'VolunteerVerified': {
            const row = await repo.findOneBy({ id: dataOf<Data<'VolunteerVerified'>>(e).volunteerId });
            if (row) await repo.update({ id: row.id }, { verified: true, status: row.status === 'Registered' ? 'Active' : row.status, updatedAt: at, revision: e.revision });
            break;
          }
          case 'VolunteerSkillsUpdated': {
            const d = dataOf<Data<'VolunteerSkillsUpdated'>>(e);
            await repo.update({ id: d.volunteerId }, { skills: JSON.stringify(d.skills), updatedAt: at, revision: e.revision });
            break;
          }
          case 'VolunteerDeactivated':
            await repo.update({ id: dataOf<Data<'VolunteerDeactivated'>>(e).volunteerId }, { status: 'Inactive', updatedAt: at, revision: e.revision });
            break;
          case 'VolunteerReactivated': {
            const row = await repo.findOneBy({ id: dataOf<Data<'VolunteerReactivated'>>(e).volunteerId });
            if (row) await repo.update({ id: row.id }, { status: row.verified ? 'Active' : 'Registered', updatedAt: at, revision: e.revision });
            break;
          }
        }
      }
    },
  });

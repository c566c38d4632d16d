import type { Principal } from '@gongzhi/auth';
import type { LeagueAggregates, LeagueReadModel, VolunteerRow } from '@gongzhi/youth-league';
import type { ExistingVolunteer } from '@gongzhi/youth-league-domain';
import DataLoader from 'dataloader';

export interface LeagueLoaders {
  /** Volunteer rows the caller may see (their subtree, or their own record); null otherwise. */
  volunteer: DataLoader<string, VolunteerRow | null>;
  /** Current state of a volunteer's stream, decoded (personal values included): for revealing fields only. */
  volunteerState: DataLoader<string, ExistingVolunteer | null>;
}

const perRequest = new WeakMap<object, LeagueLoaders>();

/** One loader set per request, never shared across requests or callers. */
export const leagueLoaders = (req: object, principal: Principal, read: LeagueReadModel, aggregates: LeagueAggregates): LeagueLoaders => {
  let loaders = perRequest.get(req);
  if (!loaders) {
    loaders = {
      volunteer: new DataLoader(async (ids) => {
        const found = await read.volunteersByIds(principal, ids);
        const mine = new Map((await read.myVolunteerRecords(principal)).map((r) => [r.id, r]));
        return ids.map((id) => found.get(id) ?? mine.get(id) ?? null);
      }),
      volunteerState: new DataLoader(async (ids) => Promise.all(ids.map(async (id) => (await aggregates.volunteer(id))?.state ?? null)), { maxBatchSize: 50 }),
    };
    perRequest.set(req, loaders);
  }
  return loaders;
};

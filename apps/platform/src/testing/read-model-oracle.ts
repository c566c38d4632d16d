import type { INestApplicationContext } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import type { Projection } from '@gongzhi/projections';
import { compareWithRebuild, type OracleOptions, type OracleReport } from '@gongzhi/projections/testing';
import { PROJECTIONS, ProjectionsHost } from '@gongzhi/platform-core';

/**
 * The oracle check (RELIABILITY.md §2) on a running platform or CLI context: every registered
 * projection rebuilt from position 0 into a fresh read store, compared row by row with the
 * tables the platform maintains. See `compareWithRebuild`.
 */
export const compareAppWithRebuild = (app: INestApplicationContext, options?: OracleOptions): Promise<OracleReport> =>
  compareWithRebuild(
    {
      store: app.get<EventStore>(EVENT_STORE),
      dataSource: app.get(ProjectionsHost).readStore,
      projections: app.get<Projection[]>(PROJECTIONS, { strict: false }),
    },
    options,
  );

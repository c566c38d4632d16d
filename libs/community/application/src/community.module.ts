import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { DeadlinesModule } from '@gongzhi/deadlines';
import { DataSource } from 'typeorm';
import { CategoryCatalogue } from './catalogue/category-catalogue';
import { CommunityDeadlines } from './deadlines/overdue-trigger';
import { CommunityReadModel } from './queries/community-read-model';
import { createGridProjection } from './read-model/grid.projection';
import { createIncidentProjection } from './read-model/incident.projection';
import { COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION, COMMUNITY_READ_STORE } from './tokens';
import { DefineGridHandler, ReassignGridWorkerHandler, RetireGridHandler } from './write/grid.handlers';
import { HOTLINE_COMMAND_HANDLERS } from './write/hotline.handlers';
import { INCIDENT_COMMAND_HANDLERS } from './write/incident.handlers';
import { IncidentWriter } from './write/incident-writer';
import { ReporterSubjects } from './write/reporter-subjects';
import { CommunityUnits } from './write/support';

export interface CommunityModuleOptions {
  /** Token of the read-store DataSource holding the community tables. Default: TypeORM's `DataSource`. */
  readStore?: InjectionToken;
}

/**
 * The community context: grids, incidents and 12345 work orders (command handlers on the app's
 * CommandBus, so the app imports `CqrsModule.forRoot()`), their read models and queries, and the
 * overdue trigger on the shared deadline scheduler. Needs EventSourcingModule and OrgModule in
 * the app; PrivacyModule, when present, supplies the reporters' subject ids and encryption.
 * The app runs COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION and the deadlines'
 * OPEN_CLOCKS_PROJECTION with its projection runners.
 */
@Module({})
export class CommunityModule {
  static forRoot(options: CommunityModuleOptions = {}): DynamicModule {
    return {
      module: CommunityModule,
      // Global, so the GraphQL module (imported at the HTTP edge) reaches the read model.
      global: true,
      imports: [DeadlinesModule],
      providers: [
        { provide: COMMUNITY_READ_STORE, useExisting: options.readStore ?? DataSource },
        CategoryCatalogue,
        CommunityUnits,
        ReporterSubjects,
        IncidentWriter,
        CommunityReadModel,
        CommunityDeadlines,
        { provide: COMMUNITY_GRID_PROJECTION, useFactory: createGridProjection },
        { provide: COMMUNITY_INCIDENT_PROJECTION, useFactory: createIncidentProjection },
        DefineGridHandler,
        ReassignGridWorkerHandler,
        RetireGridHandler,
        ...INCIDENT_COMMAND_HANDLERS,
        ...HOTLINE_COMMAND_HANDLERS,
      ],
      exports: [
        DeadlinesModule,
        COMMUNITY_READ_STORE,
        CategoryCatalogue,
        CommunityReadModel,
        CommunityDeadlines,
        COMMUNITY_GRID_PROJECTION,
        COMMUNITY_INCIDENT_PROJECTION,
      ],
    };
  }
}

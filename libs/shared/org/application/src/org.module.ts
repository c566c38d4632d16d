import { type DynamicModule, type InjectionToken, Module } from '@nestjs/common';
import { ORG_DIRECTORY } from '@gongzhi/auth';
import { DataSource } from 'typeorm';
import { ReadModelOrgDirectory } from './directory/read-model-org-directory';
import { OrgReadModel } from './queries/org-read-model';
import { GetOrgUnitHandler, GetStaffMemberHandler, ListOrgUnitsHandler, ListStaffHandler } from './queries/org.queries';
import { createOrgProjection } from './read-model/org.projection';
import { ORG_READ_STORE } from './read-store.token';
import { CreateOrgUnitHandler, MoveOrgUnitHandler, RenameOrgUnitHandler, RetireOrgUnitHandler } from './write/org-unit.handlers';
import { OrgStructureLock, OrgTree } from './write/org-tree';
import { AssignRoleHandler, RegisterStaffHandler, RevokeRoleHandler } from './write/staff.handlers';

/** The org projection instance, wired to clear the directory cache; register it with a ProjectionRunner. */
export const ORG_PROJECTION = Symbol('ORG_PROJECTION');

export interface OrgModuleOptions {
  /** Token of the read-store DataSource holding ORG_READ_MODEL_ENTITIES. Default: TypeORM's `DataSource`. */
  readStore?: InjectionToken;
  /** How long the directory caches a path or a user's grants. Default 5 s. */
  directoryTtlMs?: number;
}

const COMMAND_HANDLERS = [
  CreateOrgUnitHandler,
  RenameOrgUnitHandler,
  MoveOrgUnitHandler,
  RetireOrgUnitHandler,
  RegisterStaffHandler,
  AssignRoleHandler,
  RevokeRoleHandler,
];
const QUERY_HANDLERS = [GetOrgUnitHandler, ListOrgUnitsHandler, GetStaffMemberHandler, ListStaffHandler];

/**
 * The org context: command and query handlers (registered on the app's CommandBus/QueryBus, so
 * the app imports `CqrsModule.forRoot()`), the ORG_DIRECTORY that AuthModule uses, and the org
 * projection. Needs EventSourcingModule (CommandProcessor, AggregateReader) in the app.
 */
@Module({})
export class OrgModule {
  static forRoot(options: OrgModuleOptions = {}): DynamicModule {
    return {
      module: OrgModule,
      // Global: the org tree is the shared kernel every context's GraphQL and handlers look up.
      global: true,
      providers: [
        { provide: ORG_READ_STORE, useExisting: options.readStore ?? DataSource },
        OrgTree,
        OrgStructureLock,
        OrgReadModel,
        {
          provide: ReadModelOrgDirectory,
          inject: [ORG_READ_STORE],
          useFactory: (ds: DataSource) => {
            const directory = new ReadModelOrgDirectory(ds);
            if (options.directoryTtlMs !== undefined) directory.ttlMs = options.directoryTtlMs;
            return directory;
          },
        },
        { provide: ORG_DIRECTORY, useExisting: ReadModelOrgDirectory },
        {
          provide: ORG_PROJECTION,
          inject: [ReadModelOrgDirectory],
          useFactory: (directory: ReadModelOrgDirectory) => createOrgProjection({ onChange: () => directory.invalidate() }),
        },
        ...COMMAND_HANDLERS,
        ...QUERY_HANDLERS,
      ],
      exports: [ORG_READ_STORE, ORG_DIRECTORY, ReadModelOrgDirectory, OrgReadModel, OrgTree, ORG_PROJECTION],
    };
  }
}

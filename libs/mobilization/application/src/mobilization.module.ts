import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { OrgReadModel } from '@gongzhi/org';
import { DataSource } from 'typeorm';
import { DEFAULT_FACT_MAPPERS, type FactMapper } from './fact-mappers';
import { MOBILIZATION_READ_STORE, MobilizationView } from './mobilization-view';
import { mobilizationProjection } from './mobilization.projection';

/** The view's projection instance; the app registers it with a ProjectionRunner. */
export const MOBILIZATION_PROJECTION = Symbol('MOBILIZATION_PROJECTION');

export interface MobilizationModuleOptions {
  /** Token of the read store holding MOBILIZATION_ENTITIES and the org tables. Default: TypeORM's `DataSource`. */
  readStore?: InjectionToken;
  /**
   * Further event types to count, by name (a context's own mobilization events); they are
   * added to DEFAULT_FACT_MAPPERS. Raise the projection's version when this changes meaning.
   */
  mappers?: Readonly<Record<string, FactMapper>>;
}

/**
 * The unified mobilization view (cross-context read model). Imports no context: it reads their
 * events from the global log by type name. Needs EventSourcingModule (its CLOCK answers "as of
 * now") and the org tables in the same read store.
 */
@Module({})
export class MobilizationModule {
  static forRoot(options: MobilizationModuleOptions = {}): DynamicModule {
    return {
      module: MobilizationModule,
      providers: [
        { provide: MOBILIZATION_READ_STORE, useExisting: options.readStore ?? DataSource },
        { provide: OrgReadModel, inject: [MOBILIZATION_READ_STORE], useFactory: (ds: DataSource) => new OrgReadModel(ds) },
        MobilizationView,
        { provide: MOBILIZATION_PROJECTION, useFactory: () => mobilizationProjection({ ...DEFAULT_FACT_MAPPERS, ...(options.mappers ?? {}) }) },
      ],
      exports: [MOBILIZATION_READ_STORE, MobilizationView, MOBILIZATION_PROJECTION],
    };
  }
}

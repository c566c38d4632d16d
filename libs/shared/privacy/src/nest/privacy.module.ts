import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
  type Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { CommandProcessor, EVENT_TRANSFORMER } from '@gongzhi/eventsourcing';
import { AuditLog } from '../audit/audit-log';
import { CommandAuditRecorder } from '../audit/command-audit-recorder';
import { loadPrivacyKeys, type PrivacyKeys } from '../crypto/key-material';
import { ErasureService } from '../erasure/erasure.service';
import { PersonalDataColumns } from '../erasure/personal-data-columns';
import { SUBJECT_ERASURE_PROJECTION, subjectErasureProjection } from '../erasure/subject-erasure.projection';
import { BlindIndex } from '../keys/blind-index';
import { PersonalDataVault } from '../keys/vault';
import { PrivacyMetrics } from '../metrics';
import { Privacy } from '../privacy';
import { PersonalDataReader } from '../reader/personal-data-reader';
import { ensurePrivacySchema, PRIVACY_ENTITIES } from '../schema';
import { PersonalDataTransformer } from '../transformer/personal-data-transformer';

/** The privacy store's DataSource (keys, blind index, audit log). */
export const PRIVACY_STORE = Symbol('PRIVACY_STORE');
const PRIVACY_MODULE_OPTIONS = Symbol('PRIVACY_MODULE_OPTIONS');

export interface PrivacyModuleOptions {
  /** The platform's data directory: key files (embedded default) and the SQLite privacy store. */
  dataDir: string;
  /** In production keys must come from the environment or a key file; nothing is generated. */
  production: boolean;
  /**
   * Where the read store is: the privacy tables go beside it, in `<dataDir>/privacy.sqlite`
   * (SQLite: a file of its own, so its writes never wait on the projections' connection) or in
   * the schema `privacy` of the same PostgreSQL database (RELIABILITY.md §4.4: the audit log in
   * its own schema, where the app role can be limited to INSERT and SELECT).
   */
  readStore: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** Defaults to process.env (GONGZHI_KEK, GONGZHI_INDEX_KEY, …: see PRIVACY_KEY_VARIABLES). */
  env?: Record<string, string | undefined>;
  /** Record every command in the audit log by following the event log (default true; the CLI passes false). */
  recordCommands?: boolean;
  /** The Prometheus registry for the vault's counters (default: prom-client's global one). */
  metrics?: { inject?: Array<InjectionToken | OptionalFactoryDependency>; registry: (...deps: any[]) => Registry };
  /** Purpose recorded for unmasked reads whose caller names none. */
  defaultPurpose?: string;
  /** PostgreSQL schema of the privacy tables (default `privacy`). */
  schema?: string;
}

export const privacyStoreOptions = (o: PrivacyModuleOptions) => {
  if (o.readStore.kind === 'sqlite') {
    mkdirSync(o.dataDir, { recursive: true });
    return { type: 'better-sqlite3' as const, database: join(o.dataDir, 'privacy.sqlite'), entities: PRIVACY_ENTITIES, enableWAL: true };
  }
  return { type: 'postgres' as const, url: o.readStore.url, schema: o.schema ?? 'privacy', entities: PRIVACY_ENTITIES, poolSize: 4 };
};

@Injectable()
class PrivacyLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Privacy');
  private recorder?: CommandAuditRecorder;

  constructor(
    @Inject(PRIVACY_STORE) private readonly store: DataSource,
    @Inject(PRIVACY_MODULE_OPTIONS) private readonly options: PrivacyModuleOptions,
    private readonly privacy: Privacy,
    @Optional() @Inject(EVENT_STORE) private readonly events?: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.recordCommands === false || !this.events) return;
    this.recorder = new CommandAuditRecorder(this.events, this.store, this.privacy.audit, (e) =>
      // The error's class and code only: a database error could carry row values.
      this.logger.error(`Command audit stopped: ${(e as Error)?.name ?? 'error'} ${(e as { code?: string })?.code ?? ''}`),
    );
    await this.recorder.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.recorder?.stop();
    if (this.store.isInitialized) await this.store.destroy();
  }
}

/**
 * Personal-data protection for the whole app (global): binds EVENT_TRANSFORMER, so every
 * command encrypts personal fields and every load decrypts them, and provides the vault, the
 * blind index, the masking reader, the audit log, the erasure service and the registry of
 * personal-data columns. Import once, next to EventSourcingModule.
 */
@Global()
@Module({})
export class PrivacyModule {
  static forRoot(options: PrivacyModuleOptions): DynamicModule {
    const registry = options.metrics;
    const metrics: Provider = registry
      ? { provide: PrivacyMetrics, inject: registry.inject ?? [], useFactory: (...deps: unknown[]) => new PrivacyMetrics(registry.registry(...deps)) }
      : { provide: PrivacyMetrics, useFactory: () => new PrivacyMetrics() };
    const providers: Provider[] = [
      { provide: PRIVACY_MODULE_OPTIONS, useValue: options },
      metrics,
      {
        provide: PRIVACY_STORE,
        useFactory: async () => {
          const ds = new DataSource(privacyStoreOptions(options));
          await ds.initialize();
          await ensurePrivacySchema(ds);
          return ds;
        },
      },
      PersonalDataColumns,
      {
        provide: Privacy,
        inject: [PRIVACY_STORE, PrivacyMetrics, PersonalDataColumns, { token: DataSource, optional: true }],
        useFactory: (store: DataSource, m: PrivacyMetrics, columns: PersonalDataColumns, readStore?: DataSource) => {
          const keys: PrivacyKeys = loadPrivacyKeys({ env: options.env ?? process.env, dataDir: options.dataDir, generate: !options.production });
          return new Privacy({ dataSource: store, readStore, keys, metrics: m, columns, defaultPurpose: options.defaultPurpose });
        },
      },
      { provide: PersonalDataVault, inject: [Privacy], useFactory: (p: Privacy) => p.vault },
      { provide: BlindIndex, inject: [Privacy], useFactory: (p: Privacy) => p.blindIndex },
      { provide: AuditLog, inject: [Privacy], useFactory: (p: Privacy) => p.audit },
      { provide: PersonalDataReader, inject: [Privacy], useFactory: (p: Privacy) => p.reader },
      { provide: PersonalDataTransformer, inject: [Privacy], useFactory: (p: Privacy) => p.transformer },
      { provide: EVENT_TRANSFORMER, useExisting: PersonalDataTransformer },
      { provide: ErasureService, inject: [Privacy, CommandProcessor], useFactory: (p: Privacy, c: CommandProcessor) => p.erasure(c) },
      { provide: SUBJECT_ERASURE_PROJECTION, inject: [PersonalDataColumns], useFactory: subjectErasureProjection },
      PrivacyLifecycle,
    ];
    return {
      module: PrivacyModule,
      global: true,
      providers,
      exports: [
        PRIVACY_STORE,
        PrivacyMetrics,
        PersonalDataColumns,
        Privacy,
        PersonalDataVault,
        BlindIndex,
        AuditLog,
        PersonalDataReader,
        PersonalDataTransformer,
        EVENT_TRANSFORMER,
        ErasureService,
        SUBJECT_ERASURE_PROJECTION,
      ],
    };
  }
}

import type { DataSource } from 'typeorm';
import { AuditLog } from './audit/audit-log';
import type { PrivacyKeys } from './crypto/key-material';
import { ErasureService, type CommandHandling } from './erasure/erasure.service';
import { PersonalDataColumns } from './erasure/personal-data-columns';
import { BlindIndex } from './keys/blind-index';
import { PersonalDataVault } from './keys/vault';
import { PrivacyMetrics } from './metrics';
import { PersonalDataReader } from './reader/personal-data-reader';
import { PersonalDataTransformer, type PersonalDataTransformerOptions } from './transformer/personal-data-transformer';

export interface PrivacyOptions {
  /** Where subject_keys, subject_blind_index and audit_log live (the read store, or a store of their own). */
  dataSource: DataSource;
  /** The projections' read store, when it is another DataSource (erasure clears its columns). */
  readStore?: DataSource;
  keys: PrivacyKeys;
  clock?: () => Date;
  metrics?: PrivacyMetrics;
  cacheTtlMs?: number;
  transformer?: PersonalDataTransformerOptions;
  defaultPurpose?: string;
  columns?: PersonalDataColumns;
}

/** Everything personal-data related, wired over one DataSource: the Nest module and the CLI both build it. */
export class Privacy {
  readonly vault: PersonalDataVault;
  readonly blindIndex: BlindIndex;
  readonly audit: AuditLog;
  readonly reader: PersonalDataReader;
  readonly transformer: PersonalDataTransformer;
  readonly columns: PersonalDataColumns;

  constructor(private readonly options: PrivacyOptions) {
    const clock = options.clock ?? (() => new Date());
    this.vault = new PersonalDataVault(options.dataSource, options.keys, {
      clock,
      metrics: options.metrics,
      cacheTtlMs: options.cacheTtlMs,
    });
    this.blindIndex = new BlindIndex(options.dataSource, options.keys.indexKey, this.vault, clock);
    this.audit = new AuditLog(options.dataSource, clock);
    this.reader = new PersonalDataReader(this.vault, this.audit, { defaultPurpose: options.defaultPurpose });
    this.transformer = new PersonalDataTransformer(this.vault, options.transformer);
    this.columns = options.columns ?? new PersonalDataColumns();
  }

  erasure(commands: CommandHandling): ErasureService {
    return new ErasureService({
      privacyStore: this.options.dataSource,
      readStore: this.options.readStore,
      vault: this.vault,
      blindIndex: this.blindIndex,
      audit: this.audit,
      columns: this.columns,
      commands,
    });
  }
}

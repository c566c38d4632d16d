import { Counter, register as defaultRegistry, type Registry } from 'prom-client';

/**
 * Counters of the vault, on the process registry by default (the platform's /metrics shows them).
 * Get-or-create, so several vaults in one process (tests, the CLI) share them.
 */
export class PrivacyMetrics {
  /** Personal fields read back as Erased: `reason` erased (key destroyed) or missing (no key row). */
  readonly unavailable: Counter<'reason'>;
  readonly unmaskedReads: Counter<'field'>;
  readonly erasures: Counter;

  constructor(registry: Registry = defaultRegistry) {
    const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
      (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
    this.unavailable = counter(
      'gongzhi_personal_data_unavailable_total',
      'Encrypted personal fields read as Erased because their key is destroyed or missing',
      ['reason'],
    );
    this.unmaskedReads = counter('gongzhi_personal_data_unmasked_reads_total', 'Personal fields returned in clear (each one audited)', [
      'field',
    ]);
    this.erasures = counter('gongzhi_data_subject_erasures_total', 'Data subjects forgotten (keys destroyed)', []);
  }

  async unavailableCount(reason: 'erased' | 'missing'): Promise<number> {
    const m = await this.unavailable.get();
    return m.values.find((v) => v.labels.reason === reason)?.value ?? 0;
  }
}

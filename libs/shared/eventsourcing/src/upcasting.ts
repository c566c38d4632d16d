import { SchemaVersionError } from './errors';

/** Upcasts one event type's `data` from `fromVersion` to `fromVersion + 1`. Must be pure. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: any, event: { type: string; metadata: Readonly<Record<string, unknown>> }): unknown;
}

interface UpcastableEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * Schema evolution on read. An event type's current schemaVersion is one above its highest
 * registered upcaster (1 without any); new events are stamped with it. Events stored at an older
 * version are run through the chain vN→vN+1→… before `evolve` sees them. Stored events are
 * never rewritten: the upcast copy lives only in memory, so the hash chain stays valid.
 */
export class UpcasterRegistry {
  private readonly chains = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: Iterable<Upcaster> = []) {
    this.register(...upcasters);
  }

  register(...upcasters: Upcaster[]): this {
    for (const u of upcasters) {
      if (!u || typeof u.type !== 'string' || u.type.length === 0 || typeof u.upcast !== 'function') {
        throw new TypeError('An upcaster needs a type and an upcast function');
      }
      if (!Number.isSafeInteger(u.fromVersion) || u.fromVersion < 1) {
        throw new TypeError(`Upcaster for ${u.type}: fromVersion must be an integer ≥ 1`);
      }
      const chain = this.chains.get(u.type) ?? new Map<number, Upcaster>();
      if (chain.has(u.fromVersion)) throw new TypeError(`Upcaster for ${u.type} v${u.fromVersion} registered twice`);
      chain.set(u.fromVersion, u);
      this.chains.set(u.type, chain);
    }
    return this;
  }

  currentVersion(type: string): number {
    const chain = this.chains.get(type);
    return chain && chain.size > 0 ? Math.max(...chain.keys()) + 1 : 1;
  }

  /**
   * The event in the current shape: the same object when already current, else a copy with
   * upcast `data` and `metadata.schemaVersion` raised. A missing version counts as 1.
   */
  upcast<T extends UpcastableEvent>(event: T): T {
    const current = this.currentVersion(event.type);
    const raw = event.metadata?.schemaVersion;
    const stored = raw === undefined || raw === null ? 1 : Number(raw);
    if (!Number.isSafeInteger(stored) || stored < 1) {
      throw new SchemaVersionError(event.type, stored, current, 'invalid schemaVersion');
    }
    if (stored === current) return event;
    if (stored > current) {
      // Written by newer code: folding data this process does not understand would be a silent bug.
      throw new SchemaVersionError(event.type, stored, current, 'stored by a newer schema than this code knows');
    }
    const chain = this.chains.get(event.type);
    let data = event.data;
    for (let v = stored; v < current; v++) {
      const step = chain?.get(v);
      if (!step) throw new SchemaVersionError(event.type, stored, current, `no upcaster from v${v}`);
      data = step.upcast(data, { type: event.type, metadata: event.metadata });
    }
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: current } };
  }
}

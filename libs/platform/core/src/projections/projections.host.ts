import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import {
  ProjectionRunner,
  type Projection,
  type ProjectionLag,
  type ProjectionStatus,
  type RebuildProgress,
} from '@gongzhi/projections';
import { MetricsService } from '../observability/metrics.service';
import { PROJECTIONS } from './projection-registry';

export const PROJECTIONS_AUTOSTART = Symbol('PROJECTIONS_AUTOSTART');
/** The read store as the projections write it (on PostgreSQL a pool without the request statement timeout). */
export const PROJECTIONS_READ_STORE = Symbol('PROJECTIONS_READ_STORE');

export interface ProjectionReport extends ProjectionStatus {
  lag: ProjectionLag;
}

/**
 * Runs one ProjectionRunner per projection in this process (the embedded platform). The CLI
 * builds the same host without autostart, to list and rebuild.
 */
@Injectable()
export class ProjectionsHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly runners: ReadonlyMap<string, ProjectionRunner>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS_READ_STORE) private readonly dataSource: DataSource,
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(PROJECTIONS_AUTOSTART) private readonly autostart: boolean,
    private readonly metrics: MetricsService,
  ) {
    this.runners = new Map(
      projections.map((projection) => [
        projection.name,
        new ProjectionRunner({ projection, store, dataSource, logger: this.logger }),
      ]),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.autostart) return;
    for (const runner of this.runners.values()) await runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const runner of this.runners.values()) await runner.stop();
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`No projection named ${JSON.stringify(name)} (known: ${[...this.runners.keys()].join(', ')})`);
    return runner;
  }

  /** Creates the checkpoint rows and tables without running (for `projections list` on a fresh store). */
  async prepare(): Promise<void> {
    for (const runner of this.runners.values()) await runner.prepare();
  }

  async reports(): Promise<ProjectionReport[]> {
    const out: ProjectionReport[] = [];
    for (const runner of this.runners.values()) {
      const [status, lag] = await Promise.all([runner.status(), runner.lag()]);
      out.push({ ...status, lag });
      this.metrics.projectionLag.set({ projection: runner.name }, lag.eventsBehind);
      this.metrics.projectionCheckpoint.set({ projection: runner.name }, Number(lag.checkpoint));
      this.metrics.headPosition.set(Number(lag.headPosition));
    }
    return out;
  }

  /** Read-your-writes: resolves when every projection has applied the log up to its current head. */
  async settle(timeoutMs = 10_000): Promise<void> {
    const head = await this.store.headPosition();
    await Promise.all([...this.runners.values()].map((r) => r.waitForPosition(head, { timeoutMs, pollMs: 10 })));
  }

  rebuild(name: string, onProgress?: (p: RebuildProgress) => void): Promise<void> {
    return this.runner(name).rebuild({ onProgress });
  }

  get readStore(): DataSource {
    return this.dataSource;
  }
}

import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { Public } from '@gongzhi/auth';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { MetricsService, ProjectionsHost } from '@gongzhi/platform-core';

/**
 * A projection counts as caught up while fewer events than this wait for it: a write always
 * leaves it a few events behind for a moment, and readiness must not flap on every command.
 */
export const MAX_HEALTHY_PROJECTION_LAG = 100;

@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: ProjectionsHost,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  check() {
    return this.health.check([
      async () => {
        const s = this.indicators.check('eventStore');
        try {
          return s.up({ headPosition: (await this.store.headPosition()).toString() });
        } catch (e) {
          return s.down({ message: (e as Error).message });
        }
      },
      async () => {
        const s = this.indicators.check('readStore');
        try {
          await this.dataSource.query('SELECT 1');
          return s.up({ type: this.dataSource.options.type });
        } catch (e) {
          return s.down({ message: (e as Error).message });
        }
      },
      async () => {
        const s = this.indicators.check('projections');
        try {
          const reports = await this.projections.reports();
          const detail = Object.fromEntries(
            reports.map((r) => [r.projection, { status: r.status, eventsBehind: r.lag.eventsBehind, checkpoint: r.position.toString() }]),
          );
          const healthy = reports.every((r) => r.status !== 'failed' && r.lag.eventsBehind < MAX_HEALTHY_PROJECTION_LAG);
          return healthy ? s.up(detail) : s.down(detail);
        } catch (e) {
          return s.down({ message: (e as Error).message });
        }
      },
    ]);
  }

  @Get('metrics')
  async scrape(@Res() res: ServerResponse): Promise<void> {
    // Lag is measured at scrape time, so the gauge is never older than the scrape.
    await this.projections.reports().catch(() => undefined);
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.end(await this.metrics.registry.metrics());
  }
}

import { Injectable } from '@nestjs/common';
import type { CommandObservation, CommandObserver } from '@gongzhi/eventsourcing';
import { MetricsService } from './metrics.service';

/** The command path's metrics hook, fed to prom-client: count and latency by type and outcome. */
@Injectable()
export class PrometheusCommandObserver implements CommandObserver {
  constructor(private readonly metrics: MetricsService) {}

  onCommand(o: CommandObservation): void {
    this.metrics.observeCommand(o.commandType, o.outcome, o.durationMs / 1000);
  }
}

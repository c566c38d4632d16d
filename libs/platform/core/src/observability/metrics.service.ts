import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The platform's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * several app instances in one test process do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'gongzhi_commands_total',
    help: 'Commands handled, by command type and outcome (ok, replay, or the error code)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'gongzhi_command_duration_seconds',
    help: 'Command latency (read, decide, append), by command type and outcome',
    labelNames: ['type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'gongzhi_event_store_append_duration_seconds',
    help: 'Event store append latency, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'gongzhi_projection_lag_events',
    help: 'Events in the log a projection has not applied yet (head position minus checkpoint on contiguous stores)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionCheckpoint = new Gauge({
    name: 'gongzhi_projection_checkpoint_position',
    help: 'Global position of the last event a projection applied',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly headPosition = new Gauge({
    name: 'gongzhi_event_store_head_position',
    help: 'Global position of the last event in the log',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gongzhi_' });
  }

  observeCommand(type: string, outcome: string, seconds: number): void {
    this.commands.inc({ type, outcome });
    this.commandDuration.observe({ type, outcome }, seconds);
  }
}

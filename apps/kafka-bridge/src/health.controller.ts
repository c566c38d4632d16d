import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { KafkaBridgeService } from '@gongzhi/integration';

/** The process's Prometheus registry (default metrics and the bridge's). */
export const BRIDGE_METRICS = Symbol('BRIDGE_METRICS');

/** `/health` (bridge status, 503 until the topics exist) and `/metrics` (Prometheus). */
@Controller()
export class BridgeHealthController {
  constructor(
    private readonly bridge: KafkaBridgeService,
    @Inject(BRIDGE_METRICS) private readonly registry: Registry,
  ) {}

  @Get('health')
  health() {
    const status = this.bridge.status();
    const body = { ...status, relay: status.relay ? { ...status.relay, position: status.relay.position?.toString() } : undefined };
    if (!status.topicsReady) throw new ServiceUnavailableException(body);
    return body;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

import type { EventStore } from '@gongzhi/event-store';
import type { MetricsService } from './metrics.service';

/**
 * Times every append at the composition root, whatever the adapter, instead of teaching each
 * adapter about Prometheus. Everything else is passed through untouched.
 */
export const instrumentEventStore = <S extends EventStore>(store: S, metrics: MetricsService): S =>
  new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          const end = metrics.appendDuration.startTimer();
          try {
            const result = await target.appendToStream(...args);
            end({ outcome: result.idempotentReplay ? 'replay' : 'ok' });
            return result;
          } catch (e) {
            const code = (e as { code?: unknown }).code;
            end({ outcome: typeof code === 'string' ? code : 'error' });
            throw e;
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

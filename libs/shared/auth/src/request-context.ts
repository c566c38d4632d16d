import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@gongzhi/eventsourcing';
import type { Principal } from './principal';

/**
 * The command path's view of the caller. The actor's org unit path is the default scope of the
 * events it causes; handlers usually pass the target's own path instead.
 */
export const toRequestContext = (
  principal: Principal,
  options: { correlationId: string; commandId?: string | null; causationId?: string; now?: string },
): RequestContext => ({
  actor: {
    userId: principal.userId,
    roles: [...principal.roles],
    orgUnitId: principal.orgUnitId,
    orgUnitPath: principal.orgUnitPath,
  },
  correlationId: options.correlationId,
  ...(options.commandId ? { commandId: options.commandId } : {}),
  ...(options.causationId ? { causationId: options.causationId } : {}),
  ...(options.now ? { now: options.now } : {}),
});

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's correlation id: `req.correlationId` or pino-http's `req.id` when the app sets
 * one, else a well-formed `x-correlation-id` header, else a new UUID (stored on the request, so
 * every command of one GraphQL request shares it).
 */
export const correlationIdOf = (req: Record<string, any> | undefined): string => {
  if (!req) return randomUUID();
  if (typeof req.correlationId === 'string' && SAFE_ID.test(req.correlationId)) return req.correlationId;
  const fromLogger = req.id;
  if ((typeof fromLogger === 'string' && SAFE_ID.test(fromLogger)) || typeof fromLogger === 'number') return String(fromLogger);
  const header = req.headers?.[CORRELATION_HEADER];
  if (typeof header === 'string' && SAFE_ID.test(header)) return header;
  if (typeof req.gongzhiCorrelationId !== 'string') req.gongzhiCorrelationId = randomUUID();
  return req.gongzhiCorrelationId;
};

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@gongzhi/graphql';
import { correlationIdFor } from '@gongzhi/platform-core';

export interface TimedOutRequest {
  path: string;
  method?: string;
  correlationId?: string;
}

/**
 * RELIABILITY.md §3 "timeouts at the HTTP level": a request that has not been answered
 * `timeoutMs` after it arrived (a body trickling in, a resolver waiting on a lock) gets
 * HTTP 503 with `extensions.code` TIMEOUT and the correlation id, and the connection is closed.
 * JavaScript cannot be cancelled from outside, so the work may still finish: whatever it writes
 * afterwards is dropped. Database statements have their own limit (statement_timeout), shorter
 * than this one, so they normally fail first with a masked INTERNAL error.
 * Registered before the body parser, so slow uploads count too.
 */
export const requestTimeout =
  (timeoutMs: number, onTimeout?: (r: TimedOutRequest) => void) =>
  (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    // The request's correlation id, assigned here because this runs first (before the body is
    // read; pino-http, later, keeps an id already on the request), so a timed-out upload has one too.
    const r = req as IncomingMessage & { id?: unknown };
    if (typeof r.id !== 'string') r.id = correlationIdFor(req, res);
    const correlationId = r.id as string;
    const timer = setTimeout(() => {
      if (res.headersSent || res.writableEnded) return;
      onTimeout?.({ path: (req.url ?? '').split('?')[0], method: req.method, correlationId });
      const body = JSON.stringify({
        errors: [
          {
            message: 'The request took too long and was stopped; try again, or ask for less',
            extensions: { code: ErrorCode.TIMEOUT, correlationId },
          },
        ],
      });
      res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
      silence(res);
    }, timeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };

/** The handler that was too slow must not fail ("headers already sent") when it answers at last. */
const silence = (res: ServerResponse): void => {
  const r = res as unknown as Record<string, unknown>;
  r.setHeader = () => res;
  r.removeHeader = () => undefined;
  r.writeHead = () => res;
  r.write = () => true;
  r.end = () => res;
};

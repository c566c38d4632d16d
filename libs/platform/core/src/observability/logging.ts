import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { CORRELATION_ID_HEADER } from '@gongzhi/graphql';
import { scrubPersonalPatterns, serializeError } from './log-redaction';

/** A client-supplied id is echoed only when it is short and plain (it lands in every log line). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One correlation id per request: the caller's `x-correlation-id` when acceptable, otherwise a
 * new UUID; echoed in the response header, logged on every line as `correlationId`, and put on
 * GraphQL errors (pino-http stores it as `req.id`).
 */
export const correlationIdFor = (req: IncomingMessage, res: ServerResponse): string => {
  const header = req.headers[CORRELATION_ID_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  const id = given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, id);
  return id;
};

const QUIET_PATHS = new Set(['/health', '/metrics']);

const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0];

export const loggerParams = (level: string, destination?: NodeJS.WritableStream): Params => {
  const options = {
      level,
      genReqId: correlationIdFor,
      customAttributeKeys: { reqId: 'correlationId' },
      // Tokens and cookies never reach the log (OWASP logging cheat sheet).
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has(pathOf(req.url)) },
      serializers: {
        // The path only: a query string can carry anything, and a GraphQL GET carries the
        // operation's variables there (ID numbers, phones).
        req: (req: { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown> }) => ({
          method: req.method,
          path: pathOf(req.url),
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
      hooks: { streamWrite: scrubPersonalPatterns },
  };
  return { pinoHttp: (destination ? [options, destination] : options) as Params['pinoHttp'] };
};

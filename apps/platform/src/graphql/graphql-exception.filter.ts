import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * In GraphQL, hands every exception to Apollo untouched, so the one error formatter maps it and
 * the error plugin logs masked ones with their correlation id. Nest's default handler would
 * instead log domain errors as server errors, without the id. HTTP routes keep the default.
 */
@Catch()
export class GraphqlPassThroughFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}

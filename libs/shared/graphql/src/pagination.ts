import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { BadUserInputError } from './errors';

/** Server-enforced upper bound on any page (RELIABILITY.md §3 "amount limiting"). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size, default ${DEFAULT_PAGE_SIZE}; the server caps it at ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Opaque cursor: return items after this one.' })
  after?: string | null;
}

/** The page size to fetch: the default when absent, capped at MAX_PAGE_SIZE, refused below 1. */
export const pageSize = (first: number | null | undefined, max = MAX_PAGE_SIZE): number => {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1) throw new BadUserInputError('first must be a positive integer');
  return Math.min(first, max);
};

const CURSOR_PREFIX = 'gz1:';

/**
 * Cursors are opaque to clients (base64url of a versioned JSON key), so the sort key can change
 * without breaking the API contract; a client must not build one by hand.
 */
export const encodeCursor = (key: unknown): string =>
  Buffer.from(CURSOR_PREFIX + JSON.stringify(key), 'utf8').toString('base64url');

export const decodeCursor = <K = unknown>(cursor: string | null | undefined): K | undefined => {
  if (cursor === null || cursor === undefined || cursor === '') return undefined;
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new BadUserInputError('Invalid cursor');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) throw new BadUserInputError('Invalid cursor');
  try {
    return JSON.parse(text.slice(CURSOR_PREFIX.length)) as K;
  } catch {
    throw new BadUserInputError('Invalid cursor');
  }
};

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
}

const connectionTypes = new Map<Type<unknown>, Type<ConnectionShape<unknown>>>();

/**
 * `@ObjectType() class OrgUnitConnection extends Connection(OrgUnit) {}` gives
 * `OrgUnitConnection { edges { cursor node } nodes pageInfo { hasNextPage endCursor } }`.
 */
export function Connection<T>(classRef: Type<T>): Type<ConnectionShape<T>> {
  const cached = connectionTypes.get(classRef as Type<unknown>);
  if (cached) return cached as Type<ConnectionShape<T>>;

  @ObjectType(`${classRef.name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => classRef)
    node!: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [EdgeType])
    edges!: Edge<T>[];

    @Field(() => [classRef])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  connectionTypes.set(classRef as Type<unknown>, ConnectionType as unknown as Type<ConnectionShape<unknown>>);
  return ConnectionType as unknown as Type<ConnectionShape<T>>;
}

/**
 * Builds a page from rows fetched with `limit = size + 1` after the decoded cursor, in the
 * order the cursor key follows: the extra row only tells whether another page exists.
 */
export const toConnection = <T>(rows: T[], size: number, keyOf: (row: T) => unknown): ConnectionShape<T> => {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
};

/** Pages an in-memory list already in key order (small lists; read models page in SQL). */
export const paginateArray = <T>(
  items: T[],
  args: { first?: number | null; after?: string | null },
  keyOf: (item: T) => string | number,
): ConnectionShape<T> => {
  const size = pageSize(args.first);
  const after = decodeCursor<string | number>(args.after);
  const start = after === undefined ? 0 : items.findIndex((i) => keyOf(i) === after) + 1;
  if (after !== undefined && start === 0) return toConnection([], size, keyOf);
  return toConnection(items.slice(start, start + size + 1), size, keyOf);
};

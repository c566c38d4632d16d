import { Inject, Injectable, Optional } from '@nestjs/common';
import { correlationIdOf, OutOfScopeError, type Principal } from '@gongzhi/auth';
import { BadUserInputError, decodeCursor, pageSize, toConnection, type ConnectionShape } from '@gongzhi/graphql';
import type { PersonalValue } from '@gongzhi/kernel';
import { OrgReadModel } from '@gongzhi/org';
import { maskFor, PersonalDataReader, type PersonalDataKind } from '@gongzhi/privacy';
import { LEAGUE_READ_STORE, type Page } from '@gongzhi/youth-league';
import type { DataSource } from 'typeorm';

/** A keyset page: `limit` is one more than the page size, to know whether another page exists. */
export const pageOf = (args: { first?: number | null; after?: string | null }): { page: Page; size: number } => {
  const size = pageSize(args.first);
  const after = decodeCursor<unknown>(args.after);
  if (after !== undefined && typeof after !== 'string') throw new BadUserInputError('Invalid cursor');
  return { size, page: { after: after ?? null, limit: size + 1 } };
};

export const connectionOf = <R, N>(rows: R[], size: number, key: (row: R) => string, toNode: (row: R) => N): ConnectionShape<N> => {
  const page = toConnection(rows, size, key);
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toNode(e.node) })), nodes: page.nodes.map(toNode) };
};

export const toIso = (value: Date | string | null | undefined, fallback: () => string): string =>
  value === null || value === undefined ? fallback() : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

export const parseJsonList = (text: string): string[] => {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/** The unit's materialized path, when the caller may see the unit (NOT_FOUND otherwise). */
export const visiblePath = async (org: OrgReadModel, principal: Principal, orgUnitId: string | null | undefined): Promise<string | null> => {
  if (!orgUnitId) return null;
  const unit = await org.orgUnit(principal, orgUnitId);
  if (!unit) throw new OutOfScopeError('OrgUnit', orgUnitId);
  return unit.path;
};

/**
 * Personal fields for GraphQL: through the privacy module's reader when the app has it (masked
 * unless the caller may unmask here, each unmasked read audited), else always masked.
 */
@Injectable()
export class PersonalFields {
  constructor(@Optional() @Inject(PersonalDataReader) private readonly reader?: PersonalDataReader) {}

  async reveal(
    principal: Principal,
    req: Record<string, any> | undefined,
    request: { value: PersonalValue | null | undefined; kind: PersonalDataKind; field: string; orgUnitPath: string; resourceType: string; resourceId: string; purpose: string },
  ): Promise<string | null> {
    const { value } = request;
    if (!value) return null;
    if (!this.reader) return value.$pii === 'erased' ? value.value : maskFor(request.kind, value.value);
    return (await this.reader.reveal(principal, { ...request, correlationId: correlationIdOf(req) })).value;
  }
}

/** OrgReadModel over the league read store (the org tables live beside the league tables). */
export const orgReadModelProvider = {
  provide: OrgReadModel,
  inject: [LEAGUE_READ_STORE],
  useFactory: (ds: DataSource) => new OrgReadModel(ds),
};

import type { RecordedEvent } from '@gongzhi/event-store';
import { defineProjection, type Projection, type ProjectionContext } from '@gongzhi/projections';
import { TIME_BANK_EVENT_TYPES, type TimeBankEvent } from '@gongzhi/youth-league-domain';
import type { EntityManager } from 'typeorm';
import { TimeBankAccountRow, TimeBankPostingRow, TimeBankRow } from './league.entities';
import { dataOf, metadataPath, occurredAt, ORG_UNIT_MOVED, rewriteMovedPaths } from './projection-support';

export const TIME_BANK_PROJECTION_NAME = 'league-time-bank';

type Data<T extends TimeBankEvent['type']> = Extract<TimeBankEvent, { type: T }>['data'];

export const accountKey = (bankId: string, accountId: string): string => `${bankId}/${accountId}`;

/**
 * The ledger as tables: banks, accounts with their running balance, and one posting row per
 * side of every transfer, so a balance as of T is the sum of the account's postings up to T.
 */
export const timeBankProjection = (): Projection =>
  defineProjection({
    name: TIME_BANK_PROJECTION_NAME,
    version: 1,
    handles: [...TIME_BANK_EVENT_TYPES, ORG_UNIT_MOVED],
    entities: [TimeBankRow, TimeBankAccountRow, TimeBankPostingRow],
    async apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext) {
      for (const e of events) await applyOne(e, em, ctx);
    },
  });

const applyOne = async (e: RecordedEvent, em: EntityManager, ctx: ProjectionContext): Promise<void> => {
  const accounts = ctx.repository(TimeBankAccountRow);
  const at = occurredAt(e);
  switch (e.type) {
    case ORG_UNIT_MOVED:
      await rewriteMovedPaths(em, ctx, e, [
        { entity: TimeBankRow, columns: ['owning_org_path'] },
        { entity: TimeBankAccountRow, columns: ['owning_org_path', 'bank_path'] },
        { entity: TimeBankPostingRow, columns: ['bank_path'] },
      ]);
      return;
    case 'TimeBankOpened': {
      const d = dataOf<Data<'TimeBankOpened'>>(e);
      const bankPath = metadataPath(e) || d.ownerPath;
      await ctx.repository(TimeBankRow).save({
        id: d.bankId, name: d.name, ownerOrgUnitId: d.ownerOrgUnitId, owningOrgPath: bankPath, issuerAccountId: d.issuerAccountId, openedAt: at, revision: e.revision,
      });
      await accounts.save({
        id: accountKey(d.bankId, d.issuerAccountId), bankId: d.bankId, accountId: d.issuerAccountId, kind: 'issuer', volunteerId: null, subjectId: null,
        holderOrgUnitId: d.ownerOrgUnitId, owningOrgPath: bankPath, bankPath, balanceMinutes: 0, openedAt: at,
      });
      return;
    }
    case 'TimeBankAccountOpened': {
      const d = dataOf<Data<'TimeBankAccountOpened'>>(e);
      const bank = await ctx.repository(TimeBankRow).findOneBy({ id: d.bankId });
      await accounts.save({
        id: accountKey(d.bankId, d.accountId),
        bankId: d.bankId,
        accountId: d.accountId,
        kind: d.holder.kind,
        volunteerId: d.holder.kind === 'member' ? d.holder.volunteerId : null,
        subjectId: d.holder.kind === 'member' ? d.holder.subjectId : null,
        holderOrgUnitId: d.holder.orgUnitId,
        owningOrgPath: d.holder.orgUnitPath,
        bankPath: bank?.owningOrgPath ?? metadataPath(e),
        balanceMinutes: 0,
        openedAt: at,
      });
      await ctx.repository(TimeBankRow).update({ id: d.bankId }, { revision: e.revision });
      return;
    }
    case 'HoursTransferred': {
      const d = dataOf<Data<'HoursTransferred'>>(e);
      const bank = await ctx.repository(TimeBankRow).findOneBy({ id: d.bankId });
      for (const [index, p] of d.postings.entries()) {
        await ctx.repository(TimeBankPostingRow).save({
          id: `${d.bankId}/${d.transferId}/${index}`,
          bankId: d.bankId,
          transferId: d.transferId,
          accountId: p.accountId,
          counterpartyAccountId: p.accountId === d.fromAccountId ? d.toAccountId : d.fromAccountId,
          deltaMinutes: p.deltaMinutes,
          kind: d.kind,
          memo: d.memo,
          reverses: d.reverses,
          bankPath: bank?.owningOrgPath ?? metadataPath(e),
          occurredAt: at,
          position: e.position.toString().padStart(20, '0'),
        });
        const account = await accounts.findOneBy({ id: accountKey(d.bankId, p.accountId) });
        if (account) await accounts.update({ id: account.id }, { balanceMinutes: account.balanceMinutes + p.deltaMinutes });
      }
      await ctx.repository(TimeBankRow).update({ id: d.bankId }, { revision: e.revision });
      return;
    }
  }
};

import type { RecordedEvent } from '@gongzhi/event-store';
import type { CommandProcessor, RequestContext } from '@gongzhi/eventsourcing';
import { isDomainError } from '@gongzhi/kernel';
import { defineProjection, type Projection, type ProjectionContext } from '@gongzhi/projections';
import { timeBankDecider, timeBankStream, type ActivityEvent, type TimeBankEvent } from '@gongzhi/youth-league-domain';
import { Column, Entity, Index, PrimaryColumn, type EntityManager } from 'typeorm';
import { dataOf, occurredAt, ORG_UNIT_MOVED, rewriteMovedPaths } from '../read-model/projection-support';

export const TIME_BANK_CREDIT_REACTOR_NAME = 'league-time-bank-credit';
export const TIME_BANK_REACTOR_USER = 'system:time-bank-credit';

/** Which time-bank accounts each volunteer holds, as the reactor learned them in global order. */
@Entity({ name: 'league_tb_reactor_accounts' })
@Index('ix_league_tb_reactor_accounts_volunteer', ['volunteerId'])
export class ReactorAccountRow {
  /** `<bankId>/<accountId>` */
  @PrimaryColumn({ type: 'varchar', length: 140 }) id!: string;
  @Column({ name: 'volunteer_id', type: 'varchar', length: 64 }) volunteerId!: string;
  @Column({ name: 'bank_id', type: 'varchar', length: 64 }) bankId!: string;
  @Column({ name: 'bank_path', type: 'varchar', length: 1100 }) bankPath!: string;
  @Column({ type: 'varchar', length: 40 }) position!: string;
}

/** One row per service event handled: what the reactor did about it (the audit of the bridge). */
@Entity({ name: 'league_tb_reactor_credits' })
@Index('ix_league_tb_reactor_credits_record', ['activityId', 'recordId'])
export class ReactorCreditRow {
  /** The service event's id. */
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'activity_id', type: 'varchar', length: 64 }) activityId!: string;
  @Column({ name: 'record_id', type: 'varchar', length: 64 }) recordId!: string;
  @Column({ name: 'volunteer_id', type: 'varchar', length: 64 }) volunteerId!: string;
  @Column({ name: 'bank_id', type: 'varchar', length: 64, nullable: true }) bankId!: string | null;
  @Column({ name: 'transfer_id', type: 'varchar', length: 64, nullable: true }) transferId!: string | null;
  @Column({ type: 'integer' }) minutes!: number;
  /** 'credited' | 'no-account' | 'rejected:<rule code>' */
  @Column({ type: 'varchar', length: 80 }) outcome!: string;
}

export const TIME_BANK_CREDIT_ENTITIES = [ReactorAccountRow, ReactorCreditRow];

type Data<T extends ActivityEvent['type']> = Extract<ActivityEvent, { type: T }>['data'];

/**
 * CreditTimeBankWhenServiceHoursRecorded (with its correction twin): completed service deposits
 * the recorded minutes in the volunteer's 愛心時間銀行 account; an accepted correction posts the
 * difference to the same bank. Which bank: the one whose unit covers the organizer most closely;
 * when none does, the volunteer's first account; when the volunteer holds none, nothing.
 *
 * The commands leave this transaction (the ledger is another stream), so delivery is at least
 * once: the command id and the transfer id derive from the service event's id, and the
 * processor and the decider both turn a repeat into a no-op (RELIABILITY.md SP-2). A rebuild
 * replays the same commands to the same effect: none.
 */
export const timeBankCreditReactor = (commands: Pick<CommandProcessor, 'handle'>): Projection =>
  defineProjection({
    name: TIME_BANK_CREDIT_REACTOR_NAME,
    version: 1,
    handles: ['TimeBankAccountOpened', 'ServiceHoursRecorded', 'HoursCorrected', ORG_UNIT_MOVED],
    entities: TIME_BANK_CREDIT_ENTITIES,
    async apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext) {
      for (const e of events) await applyOne(commands, e, em, ctx);
    },
  });

const applyOne = async (commands: Pick<CommandProcessor, 'handle'>, e: RecordedEvent, em: EntityManager, ctx: ProjectionContext) => {
  const accounts = ctx.repository(ReactorAccountRow);
  const credits = ctx.repository(ReactorCreditRow);
  if (e.type === ORG_UNIT_MOVED) {
    await rewriteMovedPaths(em, ctx, e, [{ entity: ReactorAccountRow, columns: ['bank_path'] }]);
    return;
  }
  if (e.type === 'TimeBankAccountOpened') {
    const d = dataOf<Extract<TimeBankEvent, { type: 'TimeBankAccountOpened' }>['data']>(e);
    if (d.holder.kind === 'member' && d.holder.volunteerId) {
      await accounts.save({
        id: `${d.bankId}/${d.accountId}`,
        volunteerId: d.holder.volunteerId,
        bankId: d.bankId,
        bankPath: String(e.metadata.orgUnitPath ?? ''),
        position: e.position.toString().padStart(20, '0'),
      });
    }
    return;
  }
  if (await credits.findOneBy({ id: e.id })) return;

  const recorded = e.type === 'ServiceHoursRecorded' ? dataOf<Data<'ServiceHoursRecorded'>>(e) : null;
  const corrected = e.type === 'HoursCorrected' ? dataOf<Data<'HoursCorrected'>>(e) : null;
  const d = (recorded ?? corrected) as Data<'ServiceHoursRecorded'> | Data<'HoursCorrected'>;
  const minutes = recorded ? recorded.minutes : (corrected as Data<'HoursCorrected'>).deltaMinutes;
  const row: ReactorCreditRow = {
    id: e.id, activityId: d.activityId, recordId: d.recordId, volunteerId: d.volunteerId, bankId: null, transferId: null, minutes, outcome: 'no-account',
  };

  // A correction follows its record into the bank that was credited for it.
  const original = corrected ? await credits.findOneBy({ activityId: d.activityId, recordId: d.recordId, outcome: 'credited' }) : null;
  const held = await accounts.find({ where: { volunteerId: d.volunteerId }, order: { position: 'ASC' } });
  const covering = held.filter((a) => d.organizerPath.startsWith(a.bankPath)).sort((a, b) => b.bankPath.length - a.bankPath.length);
  const bank = original?.bankId ? held.find((a) => a.bankId === original.bankId) : (covering[0] ?? held[0]);

  if (bank && minutes !== 0) {
    const transferId = `svc-${e.id}`.slice(0, 64);
    const service = { activityId: d.activityId, recordId: d.recordId, volunteerId: d.volunteerId };
    const request: RequestContext = {
      actor: { userId: TIME_BANK_REACTOR_USER, roles: ['admin'] },
      correlationId: String(e.metadata.correlationId ?? e.id),
      causationId: e.id,
      commandId: `time-bank-credit:${e.id}`,
      now: occurredAt(e),
    };
    try {
      await commands.handle(
        timeBankDecider,
        timeBankStream(bank.bankId),
        recorded
          ? { type: 'CreditServiceHours', data: { bankId: bank.bankId, transferId, volunteerId: d.volunteerId, minutes, service } }
          : { type: 'AdjustServiceHours', data: { bankId: bank.bankId, transferId, volunteerId: d.volunteerId, deltaMinutes: minutes, service } },
        request,
        { orgUnitPath: bank.bankPath, aggregateId: bank.bankId },
      );
      Object.assign(row, { bankId: bank.bankId, transferId, outcome: 'credited' });
    } catch (error) {
      // A broken rule (a closed account, say) will not heal by retrying: record it and go on.
      if (!isDomainError(error)) throw error;
      Object.assign(row, { bankId: bank.bankId, outcome: `rejected:${error.code}`.slice(0, 80) });
    }
  }
  await credits.save(row);
};

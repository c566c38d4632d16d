import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OutOfScopeError, type Principal } from '@gongzhi/auth';
import { CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import type { CommandInput } from '@gongzhi/kernel';
import { OrgTree } from '@gongzhi/org';
import { timeBankDecider, timeBankStream, type TimeBank, type TimeBankCommand } from '@gongzhi/youth-league-domain';
import { ExchangeHoursCommand, OpenTimeBankAccountCommand, OpenTimeBankCommand, ReverseTransferCommand, type CommandMeta } from './commands';
import { authorizeOrganizer, contextOf, handleOptions, idOr, newIdFor, visibleUnit } from './handler-support';
import { LeagueAggregates } from './league-aggregates';
import { visibleVolunteer } from './volunteer.handlers';

type OpenBank = Exclude<TimeBank, { status: 'None' }>;

/**
 * 愛心時間銀行 commands: the unit running the bank (a community, a league committee) opens
 * accounts and records exchanges and reversals; service credits come from the reactor.
 */
// Decorated so the constructor parameter types are emitted for the subclasses Nest instantiates.
@Injectable()
abstract class TimeBankHandler {
  constructor(
    protected readonly commands: CommandProcessor,
    protected readonly aggregates: LeagueAggregates,
  ) {}

  protected async bank(principal: Principal, bankId: string): Promise<OpenBank> {
    const found = await this.aggregates.timeBank(bankId);
    if (!found) throw new OutOfScopeError('TimeBank', bankId);
    authorizeOrganizer(principal, found.state.ownerPath, 'TimeBank', bankId);
    return found.state;
  }

  protected run(bank: OpenBank, command: CommandInput<TimeBankCommand>, principal: Principal, meta: CommandMeta): Promise<CommandResult> {
    return this.commands.handle(timeBankDecider, timeBankStream(bank.bankId), command, contextOf(principal, meta), handleOptions(meta, bank.ownerPath, bank.bankId));
  }
}

@CommandHandler(OpenTimeBankCommand)
export class OpenTimeBankHandler implements ICommandHandler<OpenTimeBankCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: OpenTimeBankCommand): Promise<CommandResult> {
    const owner = await visibleUnit(this.tree, principal, input.ownerOrgUnitId ?? principal.orgUnitId);
    authorizeOrganizer(principal, owner.path, 'OrgUnit', owner.orgUnitId);
    const bankId = idOr(input.bankId, meta, 'time-bank');
    return this.commands.handle(
      timeBankDecider,
      timeBankStream(bankId),
      { type: 'OpenTimeBank', data: { bankId, name: input.name, owner, issuerAccountId: `${bankId}-issuer`.slice(0, 64) } },
      contextOf(principal, meta),
      handleOptions(meta, owner.path, bankId),
    );
  }
}

@CommandHandler(OpenTimeBankAccountCommand)
export class OpenTimeBankAccountHandler extends TimeBankHandler implements ICommandHandler<OpenTimeBankAccountCommand> {
  constructor(
    commands: CommandProcessor,
    aggregates: LeagueAggregates,
    private readonly tree: OrgTree,
  ) {
    super(commands, aggregates);
  }

  async execute({ input, principal, meta }: OpenTimeBankAccountCommand): Promise<CommandResult> {
    const bank = await this.bank(principal, input.bankId);
    const orgUnit = await visibleUnit(this.tree, principal, input.orgUnitId);
    const accountId = idOr(input.accountId, meta, 'time-bank-account');
    if (input.kind === 'org-unit') {
      return this.run(bank, { type: 'OpenOrgUnitAccount', data: { bankId: bank.bankId, accountId, orgUnit } }, principal, meta);
    }
    // A volunteer's account takes the volunteer's data subject, so erasing the person covers both.
    const volunteer = input.volunteerId ? (await visibleVolunteer(this.aggregates, principal, input.volunteerId)).state : null;
    return this.run(
      bank,
      {
        type: 'OpenMemberAccount',
        data: {
          bankId: bank.bankId,
          accountId,
          subjectId: volunteer?.subjectId ?? newIdFor(meta, 'time-bank-member'),
          volunteerId: volunteer?.volunteerId ?? null,
          name: volunteer ? null : (input.name ?? null),
          orgUnit,
        },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(ExchangeHoursCommand)
export class ExchangeHoursHandler extends TimeBankHandler implements ICommandHandler<ExchangeHoursCommand> {
  async execute({ input, principal, meta }: ExchangeHoursCommand): Promise<CommandResult> {
    const bank = await this.bank(principal, input.bankId);
    return this.run(
      bank,
      {
        type: 'ExchangeHours',
        data: {
          bankId: bank.bankId,
          transferId: idOr(input.transferId, meta, 'transfer'),
          fromAccountId: input.fromAccountId,
          toAccountId: input.toAccountId,
          minutes: input.minutes,
          memo: input.memo,
        },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(ReverseTransferCommand)
export class ReverseTransferHandler extends TimeBankHandler implements ICommandHandler<ReverseTransferCommand> {
  async execute({ input, principal, meta }: ReverseTransferCommand): Promise<CommandResult> {
    const bank = await this.bank(principal, input.bankId);
    return this.run(
      bank,
      {
        type: 'ReverseTransfer',
        data: { bankId: bank.bankId, transferId: idOr(input.transferId, meta, 'transfer'), reversesTransferId: input.reversesTransferId, reason: input.reason },
      },
      principal,
      meta,
    );
  }
}

import { assertNever, personalData, streamIdFor, type Decider, type NewEvent, type PersonalValue } from '@gongzhi/kernel';
import type { TimeBankCommand } from './time-bank.commands';
import type { HoursTransferred, Posting, ServiceReference, TimeBankEvent, TransferKind } from './time-bank.events';
import { isPathWithin, optionalText, requireInteger, requireText } from './validation';
import {
  AccountAlreadyOpen,
  AccountNotFound,
  AccountOutsideBank,
  InsufficientHours,
  InvalidLeagueInput,
  TimeBankAlreadyOpen,
  TimeBankNotFound,
  TransferAlreadyReversed,
  TransferNotAllowed,
  TransferNotFound,
} from './youth-league.errors';

/** `youth-league.time-bank-<id>`: one ledger per bank, so a transfer and its postings are one atomic event. */
export const timeBankStream = streamIdFor('youth-league', 'time-bank');

/** Largest single transfer: 1000 hours. */
export const MAX_TRANSFER_MINUTES = 1000 * 60;

export interface LedgerAccount {
  accountId: string;
  kind: 'issuer' | 'member' | 'org-unit';
  volunteerId: string | null;
  orgUnitPath: string;
  balanceMinutes: number;
  /** A non-volunteer member's name, decoded on read (in memory only). */
  name: PersonalValue | null;
}

export interface LedgerTransfer {
  kind: TransferKind;
  fromAccountId: string;
  toAccountId: string;
  minutes: number;
  reversedBy: string | null;
}

export type TimeBank =
  | { status: 'None' }
  | {
      status: 'Open';
      bankId: string;
      ownerPath: string;
      issuerAccountId: string;
      accounts: Record<string, LedgerAccount>;
      accountOfVolunteer: Record<string, string>;
      transfers: Record<string, LedgerTransfer>;
    };

type OpenBank = Exclude<TimeBank, { status: 'None' }>;
type Emit = NewEvent<TimeBankEvent>[];

/**
 * The balance rules (the ones a reader of the ledger must know):
 * 1. Every transfer posts −m to one account and +m to another: postings sum to zero, so the
 *    balances of a bank sum to zero at every point of its history.
 * 2. The issuer account (the unit running the bank) goes negative by design: its balance is
 *    minus the service hours in circulation.
 * 3. Member and org-unit accounts never go negative through an exchange or a reversal
 *    (LEAGUE.INSUFFICIENT_HOURS).
 * 4. The one exception: a correction that lowers recorded service hours takes the difference
 *    back even when the member already spent it. The credit was never due, and the ledger must
 *    follow the service record (志願服務記錄辦法: records are corrected, not hidden); the member's
 *    account then shows the debt.
 */
export const mayGoNegative = (account: LedgerAccount, kind: TransferKind): boolean =>
  account.kind === 'issuer' || kind === 'service-correction';

const open = (state: TimeBank, bankId: string): OpenBank => {
  if (state.status === 'None') throw new TimeBankNotFound(bankId);
  return state;
};

const account = (bank: OpenBank, accountId: string): LedgerAccount => {
  const a = bank.accounts[accountId];
  if (!a) throw new AccountNotFound(bank.bankId, accountId);
  return a;
};

const accountOfVolunteer = (bank: OpenBank, volunteerId: string): LedgerAccount => {
  const id = bank.accountOfVolunteer[volunteerId];
  if (!id) throw new AccountNotFound(bank.bankId, `volunteer:${volunteerId}`);
  return bank.accounts[id];
};

const transfer = (
  bank: OpenBank,
  input: { transferId: string; kind: TransferKind; from: LedgerAccount; to: LedgerAccount; minutes: number; memo: string | null; service: ServiceReference | null; reverses: string | null },
  now: string,
): Emit => {
  const { from, to, minutes, kind } = input;
  if (from.accountId === to.accountId) throw new TransferNotAllowed(bank.bankId, 'A transfer needs two different accounts');
  requireInteger(minutes, 'minutes', 1, MAX_TRANSFER_MINUTES);
  if (!mayGoNegative(from, kind) && from.balanceMinutes < minutes) {
    throw new InsufficientHours(bank.bankId, from.accountId, from.balanceMinutes, minutes);
  }
  const postings: Posting[] = [
    { accountId: from.accountId, deltaMinutes: -minutes },
    { accountId: to.accountId, deltaMinutes: minutes },
  ];
  return [
    {
      type: 'HoursTransferred',
      data: {
        bankId: bank.bankId,
        transferId: input.transferId,
        kind,
        fromAccountId: from.accountId,
        toAccountId: to.accountId,
        minutes,
        postings,
        memo: input.memo,
        service: input.service,
        reverses: input.reverses,
        at: now,
      },
    },
  ];
};

const requireNewAccount = (bank: OpenBank, accountId: string): string => {
  const id = requireText(accountId, 'accountId', 64);
  if (bank.accounts[id]) throw new AccountAlreadyOpen(bank.bankId, id);
  return id;
};

export const decideTimeBank = (command: TimeBankCommand, state: TimeBank): Emit => {
  const now = command.metadata.now;
  switch (command.type) {
    case 'OpenTimeBank': {
      const { data } = command;
      if (state.status !== 'None') throw new TimeBankAlreadyOpen(data.bankId);
      return [
        {
          type: 'TimeBankOpened',
          data: {
            bankId: data.bankId,
            name: requireText(data.name, 'name', 100),
            ownerOrgUnitId: data.owner.orgUnitId,
            ownerPath: data.owner.path,
            issuerAccountId: requireText(data.issuerAccountId, 'issuerAccountId', 64),
            openedAt: now,
          },
        },
      ];
    }
    case 'OpenMemberAccount': {
      const { data } = command;
      const bank = open(state, data.bankId);
      const accountId = requireNewAccount(bank, data.accountId);
      if (!isPathWithin(data.orgUnit.path, bank.ownerPath)) throw new AccountOutsideBank(bank.bankId, data.orgUnit.orgUnitId);
      const volunteerId = optionalText(data.volunteerId, 'volunteerId', 64);
      if (volunteerId !== null && bank.accountOfVolunteer[volunteerId]) {
        throw new AccountAlreadyOpen(bank.bankId, bank.accountOfVolunteer[volunteerId]);
      }
      const name = optionalText(data.name, 'name', 50);
      if (volunteerId === null && name === null) throw new InvalidLeagueInput('A member who is not a volunteer needs a name', { field: 'name' });
      const subjectId = requireText(data.subjectId, 'subjectId', 64);
      return [
        {
          type: 'TimeBankAccountOpened',
          data: {
            bankId: bank.bankId,
            accountId,
            holder: {
              kind: 'member',
              subjectId,
              volunteerId,
              name: name === null ? null : personalData(subjectId, name),
              orgUnitId: data.orgUnit.orgUnitId,
              orgUnitPath: data.orgUnit.path,
            },
            openedAt: now,
          },
        },
      ];
    }
    case 'OpenOrgUnitAccount': {
      const { data } = command;
      const bank = open(state, data.bankId);
      const accountId = requireNewAccount(bank, data.accountId);
      if (!isPathWithin(data.orgUnit.path, bank.ownerPath)) throw new AccountOutsideBank(bank.bankId, data.orgUnit.orgUnitId);
      return [
        {
          type: 'TimeBankAccountOpened',
          data: { bankId: bank.bankId, accountId, holder: { kind: 'org-unit', orgUnitId: data.orgUnit.orgUnitId, orgUnitPath: data.orgUnit.path }, openedAt: now },
        },
      ];
    }
    case 'CreditServiceHours': {
      const { data } = command;
      const bank = open(state, data.bankId);
      // The reactor may deliver an event twice: the transfer id derives from it, so a second credit is a no-op.
      if (bank.transfers[data.transferId]) return [];
      const to = accountOfVolunteer(bank, data.volunteerId);
      return transfer(
        bank,
        { transferId: data.transferId, kind: 'service-credit', from: bank.accounts[bank.issuerAccountId], to, minutes: data.minutes, memo: null, service: data.service, reverses: null },
        now,
      );
    }
    case 'AdjustServiceHours': {
      const { data } = command;
      const bank = open(state, data.bankId);
      if (bank.transfers[data.transferId] || data.deltaMinutes === 0) return [];
      const member = accountOfVolunteer(bank, data.volunteerId);
      const issuer = bank.accounts[bank.issuerAccountId];
      const [from, to] = data.deltaMinutes > 0 ? [issuer, member] : [member, issuer];
      return transfer(
        bank,
        { transferId: data.transferId, kind: 'service-correction', from, to, minutes: Math.abs(data.deltaMinutes), memo: null, service: data.service, reverses: null },
        now,
      );
    }
    case 'ExchangeHours': {
      const { data } = command;
      const bank = open(state, data.bankId);
      const transferId = requireText(data.transferId, 'transferId', 64);
      if (bank.transfers[transferId]) throw new TransferNotAllowed(bank.bankId, `Transfer ${transferId} already exists`);
      const from = account(bank, data.fromAccountId);
      const to = account(bank, data.toAccountId);
      if (from.kind === 'issuer' || to.kind === 'issuer') {
        throw new TransferNotAllowed(bank.bankId, 'The issuer account only pays service hours; exchanges are between members and units');
      }
      return transfer(bank, { transferId, kind: 'exchange', from, to, minutes: data.minutes, memo: requireText(data.memo, 'memo', 500), service: null, reverses: null }, now);
    }
    case 'ReverseTransfer': {
      const { data } = command;
      const bank = open(state, data.bankId);
      const transferId = requireText(data.transferId, 'transferId', 64);
      if (bank.transfers[transferId]) throw new TransferNotAllowed(bank.bankId, `Transfer ${transferId} already exists`);
      const original = bank.transfers[data.reversesTransferId];
      if (!original) throw new TransferNotFound(bank.bankId, data.reversesTransferId);
      if (original.reversedBy !== null) throw new TransferAlreadyReversed(bank.bankId, data.reversesTransferId);
      if (original.kind === 'reversal') throw new TransferNotAllowed(bank.bankId, 'A reversal is not reversed: make a new exchange instead');
      if (original.kind !== 'exchange') {
        throw new TransferNotAllowed(bank.bankId, 'Service hours follow the service record: ask the organizer to correct the hours instead');
      }
      // The reversal is a new transfer the other way; the original stays in the ledger.
      return transfer(
        bank,
        {
          transferId,
          kind: 'reversal',
          from: account(bank, original.toAccountId),
          to: account(bank, original.fromAccountId),
          minutes: original.minutes,
          memo: requireText(data.reason, 'reason', 500),
          service: null,
          reverses: data.reversesTransferId,
        },
        now,
      );
    }
    default:
      return assertNever(command);
  }
};

const applyTransfer = (bank: OpenBank, data: HoursTransferred['data']): OpenBank => {
  const accounts = { ...bank.accounts };
  for (const p of data.postings) {
    const a = accounts[p.accountId];
    if (a) accounts[p.accountId] = { ...a, balanceMinutes: a.balanceMinutes + p.deltaMinutes };
  }
  const transfers: Record<string, LedgerTransfer> = {
    ...bank.transfers,
    [data.transferId]: { kind: data.kind, fromAccountId: data.fromAccountId, toAccountId: data.toAccountId, minutes: data.minutes, reversedBy: null },
  };
  if (data.reverses && transfers[data.reverses]) transfers[data.reverses] = { ...transfers[data.reverses], reversedBy: data.transferId };
  return { ...bank, accounts, transfers };
};

export const evolveTimeBank = (state: TimeBank, event: TimeBankEvent): TimeBank => {
  switch (event.type) {
    case 'TimeBankOpened': {
      const d = event.data;
      return {
        status: 'Open',
        bankId: d.bankId,
        ownerPath: d.ownerPath,
        issuerAccountId: d.issuerAccountId,
        accounts: { [d.issuerAccountId]: { accountId: d.issuerAccountId, kind: 'issuer', volunteerId: null, orgUnitPath: d.ownerPath, balanceMinutes: 0, name: null } },
        accountOfVolunteer: {},
        transfers: {},
      };
    }
    case 'TimeBankAccountOpened': {
      if (state.status === 'None') return state;
      const { accountId, holder } = event.data;
      const volunteerId = holder.kind === 'member' ? holder.volunteerId : null;
      const name = holder.kind === 'member' ? holder.name : null;
      return {
        ...state,
        accounts: { ...state.accounts, [accountId]: { accountId, kind: holder.kind, volunteerId, orgUnitPath: holder.orgUnitPath, balanceMinutes: 0, name } },
        accountOfVolunteer: volunteerId ? { ...state.accountOfVolunteer, [volunteerId]: accountId } : state.accountOfVolunteer,
      };
    }
    case 'HoursTransferred':
      return state.status === 'None' ? state : applyTransfer(state, event.data);
    default:
      return assertNever(event);
  }
};

export const timeBankDecider: Decider<TimeBank, TimeBankCommand, TimeBankEvent> = {
  initialState: { status: 'None' },
  decide: decideTimeBank,
  evolve: evolveTimeBank,
};

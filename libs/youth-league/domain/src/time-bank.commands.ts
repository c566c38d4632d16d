import type { Command } from '@gongzhi/kernel';
import type { ServiceReference } from './time-bank.events';
import type { OrgUnitRef } from './validation';

export type OpenTimeBank = Command<'OpenTimeBank', { bankId: string; name: string; owner: OrgUnitRef; issuerAccountId: string }>;
export type OpenMemberAccount = Command<
  'OpenMemberAccount',
  { bankId: string; accountId: string; subjectId: string; volunteerId?: string | null; name?: string | null; orgUnit: OrgUnitRef }
>;
export type OpenOrgUnitAccount = Command<'OpenOrgUnitAccount', { bankId: string; accountId: string; orgUnit: OrgUnitRef }>;
/** Issued by the reactor on ServiceHoursRecorded: the issuer pays the volunteer's account. */
export type CreditServiceHours = Command<
  'CreditServiceHours',
  { bankId: string; transferId: string; volunteerId: string; minutes: number; service: ServiceReference }
>;
/** Issued by the reactor on HoursCorrected: the difference, either way. */
export type AdjustServiceHours = Command<
  'AdjustServiceHours',
  { bankId: string; transferId: string; volunteerId: string; deltaMinutes: number; service: ServiceReference }
>;
export type ExchangeHours = Command<
  'ExchangeHours',
  { bankId: string; transferId: string; fromAccountId: string; toAccountId: string; minutes: number; memo: string }
>;
export type ReverseTransfer = Command<'ReverseTransfer', { bankId: string; transferId: string; reversesTransferId: string; reason: string }>;

export type TimeBankCommand =
  | OpenTimeBank
  | OpenMemberAccount
  | OpenOrgUnitAccount
  | CreditServiceHours
  | AdjustServiceHours
  | ExchangeHours
  | ReverseTransfer;

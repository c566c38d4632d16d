import type { Event, PersonalData } from '@gongzhi/kernel';

export type AccountHolder =
  | {
      kind: 'member';
      subjectId: string;
      /** Set when the member is a registered volunteer: completed service is credited here. */
      volunteerId: string | null;
      /** Members who are not volunteers (e.g. an elderly resident receiving help) carry a name. */
      name: PersonalData | null;
      orgUnitId: string;
      orgUnitPath: string;
    }
  | { kind: 'org-unit'; orgUnitId: string; orgUnitPath: string };

/**
 * A posting moves minutes into (+) or out of (−) one account. Every transfer carries its
 * postings, and they sum to zero: the ledger is double-entry, so the balances of all accounts of
 * a bank always sum to zero too.
 */
export interface Posting {
  accountId: string;
  deltaMinutes: number;
}

export type TransferKind = 'service-credit' | 'service-correction' | 'exchange' | 'reversal';

export interface ServiceReference {
  activityId: string;
  recordId: string;
  volunteerId: string;
}

/**
 * 愛心時間銀行 (after TimeOverflow): hours of service deposited by volunteers and exchanged
 * between members. The issuer account belongs to the unit running the bank: it is where
 * service hours come from, so its balance is minus the hours in circulation.
 */
export type TimeBankOpened = Event<
  'TimeBankOpened',
  { bankId: string; name: string; ownerOrgUnitId: string; ownerPath: string; issuerAccountId: string; openedAt: string }
>;
export type TimeBankAccountOpened = Event<
  'TimeBankAccountOpened',
  { bankId: string; accountId: string; holder: AccountHolder; openedAt: string }
>;
export type HoursTransferred = Event<
  'HoursTransferred',
  {
    bankId: string;
    transferId: string;
    kind: TransferKind;
    fromAccountId: string;
    toAccountId: string;
    minutes: number;
    postings: Posting[];
    memo: string | null;
    service: ServiceReference | null;
    /** For a reversal: the transfer it undoes (which itself stays in the ledger). */
    reverses: string | null;
    at: string;
  }
>;

export type TimeBankEvent = TimeBankOpened | TimeBankAccountOpened | HoursTransferred;

export const TIME_BANK_EVENT_TYPES: readonly TimeBankEvent['type'][] = ['TimeBankOpened', 'TimeBankAccountOpened', 'HoursTransferred'];

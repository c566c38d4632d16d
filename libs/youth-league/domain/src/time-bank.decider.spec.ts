import { fold, type CommandMetadata } from '@gongzhi/kernel';
import { aCommandMetadata, anEventMetadata, forDecider, TEST_NOW, type GivenEvent } from '@gongzhi/testing';
import type { TimeBankCommand } from './time-bank.commands';
import type { TimeBankEvent } from './time-bank.events';
import { timeBankDecider, type TimeBank } from './time-bank.decider';

const given = forDecider(timeBankDecider);
type E = GivenEvent<TimeBankEvent>;

const BANK = { orgUnitId: 'ercun', path: '/wj/sl/ercun/' };
const opened: E = {
  type: 'TimeBankOpened',
  data: { bankId: 'b1', name: '二村社區愛心時間銀行', ownerOrgUnitId: 'ercun', ownerPath: BANK.path, issuerAccountId: 'issuer', openedAt: TEST_NOW },
};
const memberAccount = (accountId: string, volunteerId: string | null, path = BANK.path): E => ({
  type: 'TimeBankAccountOpened',
  data: {
    bankId: 'b1', accountId,
    holder: { kind: 'member', subjectId: `s-${accountId}`, volunteerId, name: null, orgUnitId: path.split('/').filter(Boolean).pop() ?? '', orgUnitPath: path },
    openedAt: TEST_NOW,
  },
});
const credit = (transferId: string, to: string, minutes: number): E => ({
  type: 'HoursTransferred',
  data: {
    bankId: 'b1', transferId, kind: 'service-credit', fromAccountId: 'issuer', toAccountId: to, minutes,
    postings: [{ accountId: 'issuer', deltaMinutes: -minutes }, { accountId: to, deltaMinutes: minutes }],
    memo: null, service: { activityId: 'a1', recordId: `r-${transferId}`, volunteerId: 'v1' }, reverses: null, at: TEST_NOW,
  },
});

describe('time bank: transfers', () => {
  it('credits completed service from the issuer to the volunteer’s account, as two postings', () => {
    given([opened, memberAccount('m1', 'v1')])
      .when({ type: 'CreditServiceHours', data: { bankId: 'b1', transferId: 't1', volunteerId: 'v1', minutes: 90, service: { activityId: 'a1', recordId: 'r-t1', volunteerId: 'v1' } } })
      .then([credit('t1', 'm1', 90)]);
  });

  it('a redelivered credit (same transfer id) decides nothing', () => {
    given([opened, memberAccount('m1', 'v1'), credit('t1', 'm1', 90)])
      .when({ type: 'CreditServiceHours', data: { bankId: 'b1', transferId: 't1', volunteerId: 'v1', minutes: 90, service: { activityId: 'a1', recordId: 'r-t1', volunteerId: 'v1' } } })
      .thenNothing();
  });

  it('exchanges hours between members of different organizations in the bank’s subtree', () => {
    given([opened, memberAccount('m1', 'v1', '/wj/sl/ercun/'), memberAccount('m2', null, '/wj/sl/sancun/'), credit('t1', 'm1', 120)])
      .when({ type: 'ExchangeHours', data: { bankId: 'b1', transferId: 'x1', fromAccountId: 'm1', toAccountId: 'm2', minutes: 60, memo: '陪同就醫' } })
      .then([
        {
          type: 'HoursTransferred',
          data: {
            bankId: 'b1', transferId: 'x1', kind: 'exchange', fromAccountId: 'm1', toAccountId: 'm2', minutes: 60,
            postings: [{ accountId: 'm1', deltaMinutes: -60 }, { accountId: 'm2', deltaMinutes: 60 }],
            memo: '陪同就醫', service: null, reverses: null, at: TEST_NOW,
          },
        },
      ]);
  });

  it('never lets a member pay more than they hold, nor use the issuer account in an exchange', () => {
    given([opened, memberAccount('m1', 'v1'), memberAccount('m2', null), credit('t1', 'm1', 30)])
      .when({ type: 'ExchangeHours', data: { bankId: 'b1', transferId: 'x1', fromAccountId: 'm1', toAccountId: 'm2', minutes: 31, memo: '理髮' } })
      .thenThrows('LEAGUE.INSUFFICIENT_HOURS');
    given([opened, memberAccount('m1', 'v1')])
      .when({ type: 'ExchangeHours', data: { bankId: 'b1', transferId: 'x1', fromAccountId: 'issuer', toAccountId: 'm1', minutes: 10, memo: 'x' } })
      .thenThrows('LEAGUE.TRANSFER_NOT_ALLOWED');
  });

  it('opens accounts only for units inside the bank’s subtree, one per volunteer', () => {
    given([opened])
      .when({ type: 'OpenMemberAccount', data: { bankId: 'b1', accountId: 'm9', subjectId: 's9', volunteerId: 'v9', orgUnit: { orgUnitId: 'other', path: '/wj/other/' } } })
      .thenThrows('LEAGUE.ACCOUNT_OUTSIDE_BANK');
    given([opened, memberAccount('m1', 'v1')])
      .when({ type: 'OpenMemberAccount', data: { bankId: 'b1', accountId: 'm2', subjectId: 's2', volunteerId: 'v1', orgUnit: BANK } })
      .thenThrows('LEAGUE.ACCOUNT_ALREADY_OPEN');
  });

  it('reverses an exchange with a new transfer the other way, once; service credits are corrected through the hours instead', () => {
    const exchange: E = {
      type: 'HoursTransferred',
      data: {
        bankId: 'b1', transferId: 'x1', kind: 'exchange', fromAccountId: 'm1', toAccountId: 'm2', minutes: 60,
        postings: [{ accountId: 'm1', deltaMinutes: -60 }, { accountId: 'm2', deltaMinutes: 60 }], memo: '陪同就醫', service: null, reverses: null, at: TEST_NOW,
      },
    };
    const history = [opened, memberAccount('m1', 'v1'), memberAccount('m2', null), credit('t1', 'm1', 120), exchange];
    given(history)
      .when({ type: 'ReverseTransfer', data: { bankId: 'b1', transferId: 'x2', reversesTransferId: 'x1', reason: '服務未實際發生' } })
      .then([
        {
          type: 'HoursTransferred',
          data: {
            bankId: 'b1', transferId: 'x2', kind: 'reversal', fromAccountId: 'm2', toAccountId: 'm1', minutes: 60,
            postings: [{ accountId: 'm2', deltaMinutes: -60 }, { accountId: 'm1', deltaMinutes: 60 }], memo: '服務未實際發生', service: null, reverses: 'x1', at: TEST_NOW,
          },
        },
      ]);
    given([...history, { type: 'HoursTransferred', data: { bankId: 'b1', transferId: 'x2', kind: 'reversal', fromAccountId: 'm2', toAccountId: 'm1', minutes: 60, postings: [{ accountId: 'm2', deltaMinutes: -60 }, { accountId: 'm1', deltaMinutes: 60 }], memo: 'r', service: null, reverses: 'x1', at: TEST_NOW } }])
      .when({ type: 'ReverseTransfer', data: { bankId: 'b1', transferId: 'x3', reversesTransferId: 'x1', reason: 'again' } })
      .thenThrows('LEAGUE.TRANSFER_ALREADY_REVERSED');
    given(history)
      .when({ type: 'ReverseTransfer', data: { bankId: 'b1', transferId: 'x3', reversesTransferId: 't1', reason: 'x' } })
      .thenThrows('LEAGUE.TRANSFER_NOT_ALLOWED');
  });

  it('a downward correction takes the hours back even from a member who spent them (documented rule 4)', () => {
    const spent: E = {
      type: 'HoursTransferred',
      data: {
        bankId: 'b1', transferId: 'x1', kind: 'exchange', fromAccountId: 'm1', toAccountId: 'm2', minutes: 100,
        postings: [{ accountId: 'm1', deltaMinutes: -100 }, { accountId: 'm2', deltaMinutes: 100 }], memo: 'x', service: null, reverses: null, at: TEST_NOW,
      },
    };
    const state = given([opened, memberAccount('m1', 'v1'), memberAccount('m2', null), credit('t1', 'm1', 120), spent])
      .when({ type: 'AdjustServiceHours', data: { bankId: 'b1', transferId: 'c1', volunteerId: 'v1', deltaMinutes: -60, service: { activityId: 'a1', recordId: 'r-t1', volunteerId: 'v1' } } })
      .thenState(expect.anything() as never) as Extract<TimeBank, { status: 'Open' }>;
    expect(state.accounts.m1.balanceMinutes).toBe(-40);
    expect(state.accounts.issuer.balanceMinutes).toBe(-60);
  });
});

/**
 * Ledger invariants over random command sequences (seeded, so a failure replays): whatever the
 * decider accepts, postings balance per transfer, balances sum to zero, no member goes negative
 * outside a downward correction, and reversing every reversible exchange restores the balances
 * from before it.
 */
describe('time bank: ledger invariants', () => {
  const rng = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const meta = (i: number): CommandMetadata => aCommandMetadata({ commandId: `c${i}`, now: new Date(Date.parse(TEST_NOW) + i * 60_000).toISOString() });

  const run = (seed: number) => {
    const random = rng(seed);
    const accounts = ['m1', 'm2', 'm3', 'o1'];
    const history: TimeBankEvent[] = [];
    let state: TimeBank = timeBankDecider.initialState;
    const apply = (command: TimeBankCommand, i: number): TimeBankEvent[] => {
      try {
        const events = timeBankDecider.decide(command, state).map((e) => ({ ...e, metadata: anEventMetadata({ occurredAt: command.metadata.now }) }) as TimeBankEvent);
        state = fold(timeBankDecider, events, state);
        history.push(...events);
        return events;
      } catch (e) {
        if ((e as { code?: string }).code?.startsWith('LEAGUE.')) return [];
        throw new Error(`step ${i}: ${(e as Error).message}`);
      }
    };
    apply({ type: 'OpenTimeBank', data: { bankId: 'b1', name: 'bank', owner: BANK, issuerAccountId: 'issuer' }, metadata: meta(0) }, 0);
    accounts.slice(0, 3).forEach((a, i) =>
      apply({ type: 'OpenMemberAccount', data: { bankId: 'b1', accountId: a, subjectId: `s${a}`, volunteerId: `v${a}`, orgUnit: BANK }, metadata: meta(i + 1) }, i + 1),
    );
    apply({ type: 'OpenOrgUnitAccount', data: { bankId: 'b1', accountId: 'o1', orgUnit: BANK }, metadata: meta(4) }, 4);
    const exchanges: string[] = [];
    for (let i = 5; i < 300; i++) {
      const pick = () => accounts[Math.floor(random() * accounts.length)];
      const minutes = 1 + Math.floor(random() * 120);
      const r = random();
      const m = meta(i);
      if (r < 0.3) {
        apply({ type: 'CreditServiceHours', data: { bankId: 'b1', transferId: `t${i}`, volunteerId: `v${accounts[Math.floor(random() * 3)]}`, minutes, service: { activityId: 'a', recordId: `r${i}`, volunteerId: 'v' } }, metadata: m }, i);
      } else if (r < 0.4) {
        apply({ type: 'AdjustServiceHours', data: { bankId: 'b1', transferId: `c${i}`, volunteerId: `v${accounts[Math.floor(random() * 3)]}`, deltaMinutes: minutes - 60, service: { activityId: 'a', recordId: `r${i}`, volunteerId: 'v' } }, metadata: m }, i);
      } else if (r < 0.85) {
        if (apply({ type: 'ExchangeHours', data: { bankId: 'b1', transferId: `x${i}`, fromAccountId: pick(), toAccountId: pick(), minutes, memo: 'help' }, metadata: m }, i).length) exchanges.push(`x${i}`);
      } else if (exchanges.length > 0) {
        const target = exchanges[Math.floor(random() * exchanges.length)];
        apply({ type: 'ReverseTransfer', data: { bankId: 'b1', transferId: `rv${i}`, reversesTransferId: target, reason: 'undo' }, metadata: m }, i);
      }
    }
    return { history, state: state as Extract<TimeBank, { status: 'Open' }> };
  };

  it.each([1, 7, 42, 2024])('seed %i: every transfer balances, balances sum to zero, members stay ≥ 0 except through corrections', (seed) => {
    const { history, state } = run(seed);
    const transfers = history.filter((e) => e.type === 'HoursTransferred');
    expect(transfers.length).toBeGreaterThan(50);
    const balances: Record<string, number> = {};
    for (const e of transfers) {
      if (e.type !== 'HoursTransferred') continue;
      expect(e.data.postings.reduce((s, p) => s + p.deltaMinutes, 0)).toBe(0);
      expect(e.data.postings).toHaveLength(2);
      for (const p of e.data.postings) balances[p.accountId] = (balances[p.accountId] ?? 0) + p.deltaMinutes;
      // Outside a correction, a member's payment never takes it below zero.
      if (e.data.kind !== 'service-correction' && e.data.fromAccountId !== 'issuer') {
        const before = balances[e.data.fromAccountId] + e.data.minutes;
        expect(before).toBeGreaterThanOrEqual(e.data.minutes);
      }
    }
    expect(Object.values(state.accounts).reduce((s, a) => s + a.balanceMinutes, 0)).toBe(0);
    for (const a of Object.values(state.accounts)) expect(a.balanceMinutes).toBe(balances[a.accountId] ?? 0);
  });

  it('a reversal restores both balances to what they were before the reversed exchange', () => {
    const { history } = run(42);
    const reversals = history.filter((e) => e.type === 'HoursTransferred' && e.data.kind === 'reversal');
    expect(reversals.length).toBeGreaterThan(0);
    for (const rev of reversals) {
      if (rev.type !== 'HoursTransferred') continue;
      const original = history.find((e) => e.type === 'HoursTransferred' && e.data.transferId === rev.data.reverses);
      if (original?.type !== 'HoursTransferred') throw new Error(`reversal ${rev.data.transferId} of an unknown transfer`);
      // Net effect of the pair on every account is zero.
      const net: Record<string, number> = {};
      for (const p of [...original.data.postings, ...rev.data.postings]) net[p.accountId] = (net[p.accountId] ?? 0) + p.deltaMinutes;
      expect(Object.values(net).every((v) => v === 0)).toBe(true);
    }
  });

  it('balances as of any instant are the fold of the events up to it', () => {
    const { history } = run(7);
    const cut = history[Math.floor(history.length / 2)].metadata.occurredAt;
    const asOf = fold(timeBankDecider, history.filter((e) => e.metadata.occurredAt <= cut)) as Extract<TimeBank, { status: 'Open' }>;
    const expected: Record<string, number> = {};
    for (const e of history) {
      if (e.type === 'HoursTransferred' && e.metadata.occurredAt <= cut) {
        for (const p of e.data.postings) expected[p.accountId] = (expected[p.accountId] ?? 0) + p.deltaMinutes;
      }
    }
    for (const a of Object.values(asOf.accounts)) expect(a.balanceMinutes).toBe(expected[a.accountId] ?? 0);
    expect(Object.values(asOf.accounts).reduce((s, a) => s + a.balanceMinutes, 0)).toBe(0);
  });
});

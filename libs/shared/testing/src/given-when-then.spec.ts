import { assertNever, DomainError, type Command, type Decider, type Event } from '@gongzhi/kernel';
import { TEST_NOW, TEST_ORG_UNIT_PATH, TEST_USER_ID } from './fixtures';
import { forDecider, given } from './given-when-then';

type CaseOpened = Event<'CaseOpened', { caseId: string; openedAt: string; openedBy: string }>;
type CaseClosed = Event<'CaseClosed', { closedAt: string }>;
type CaseEvent = CaseOpened | CaseClosed;
type OpenCase = Command<'OpenCase', { caseId: string }>;
type CloseCase = Command<'CloseCase', Record<string, never>>;
type Touch = Command<'Touch', Record<string, never>>;
type CaseState = { status: 'None' } | { status: 'Open'; orgUnitPath: string } | { status: 'Closed'; orgUnitPath: string };

class CaseNotOpen extends DomainError {
  readonly code = 'TEST.CASE_NOT_OPEN';
}
class CaseAlreadyOpen extends DomainError {
  readonly code = 'TEST.CASE_ALREADY_OPEN';
}

const caseDecider: Decider<CaseState, OpenCase | CloseCase | Touch, CaseEvent> = {
  initialState: { status: 'None' },
  decide(command, state) {
    switch (command.type) {
      case 'OpenCase':
        if (state.status !== 'None') throw new CaseAlreadyOpen(undefined, { caseId: command.data.caseId });
        return [{ type: 'CaseOpened', data: { caseId: command.data.caseId, openedAt: command.metadata.now, openedBy: command.metadata.actor.userId } }];
      case 'CloseCase':
        if (state.status !== 'Open') throw new CaseNotOpen();
        return [{ type: 'CaseClosed', data: { closedAt: command.metadata.now } }];
      case 'Touch':
        return [];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'CaseOpened':
        return { status: 'Open', orgUnitPath: event.metadata.orgUnitPath };
      case 'CaseClosed':
        return state.status === 'None' ? state : { status: 'Closed', orgUnitPath: state.orgUnitPath };
      default:
        return assertNever(event);
    }
  },
};

const opened: CaseOpened['data'] = { caseId: 'c-1', openedAt: '2024-01-01T00:00:00.000Z', openedBy: 'u' };

describe('given/when/then for deciders', () => {
  it('passes when decide returns the expected events, filling command metadata from the fixture', () => {
    const events = given(caseDecider, [])
      .when({ type: 'OpenCase', data: { caseId: 'c-1' } })
      .then([{ type: 'CaseOpened', data: { caseId: 'c-1', openedAt: TEST_NOW, openedBy: TEST_USER_ID } }]);
    expect(events).toHaveLength(1);
  });

  it('lets a test override part of the command metadata', () => {
    given(caseDecider, [{ type: 'CaseOpened', data: opened }])
      .when({ type: 'CloseCase', data: {}, metadata: { now: '2024-06-01T00:00:00.000Z' } })
      .then([{ type: 'CaseClosed', data: { closedAt: '2024-06-01T00:00:00.000Z' } }]);
  });

  it('ignores metadata on expected events: the decider does not produce it', () => {
    given(caseDecider, [{ type: 'CaseOpened', data: opened }])
      .when({ type: 'CloseCase', data: {} })
      .then([{ type: 'CaseClosed', data: { closedAt: TEST_NOW }, metadata: { orgUnitPath: 'x' } as never }]);
  });

  it('fails when the events differ, in data, in number or in order', () => {
    const outcome = () => given(caseDecider, [{ type: 'CaseOpened', data: opened }]).when({ type: 'CloseCase', data: {} });
    expect(() => outcome().then([{ type: 'CaseClosed', data: { closedAt: '1999-01-01T00:00:00.000Z' } }])).toThrow();
    expect(() => outcome().then([])).toThrow();
    expect(() => outcome().thenNothing()).toThrow();
  });

  it('fails with the domain error when decide throws where events were expected', () => {
    expect(() => given(caseDecider).when({ type: 'CloseCase', data: {} }).then([])).toThrow(CaseNotOpen);
  });

  it('passes thenNothing when decide accepts with no events', () => {
    given(caseDecider).when({ type: 'Touch', data: {} }).thenNothing();
  });

  it('matches thrown errors by class, by code or by predicate, and returns the error', () => {
    const scenario = () => given(caseDecider, [{ type: 'CaseOpened', data: opened }]).when({ type: 'OpenCase', data: { caseId: 'c-1' } });
    const error = scenario().thenThrows(CaseAlreadyOpen);
    expect((error as CaseAlreadyOpen).details).toEqual({ caseId: 'c-1' });
    scenario().thenThrows('TEST.CASE_ALREADY_OPEN');
    scenario().thenThrows(DomainError);
    scenario().thenThrows((e) => e instanceof CaseAlreadyOpen);
    scenario().thenThrows();
  });

  it('fails thenThrows when decide does not throw, or throws something else', () => {
    const ok = () => given(caseDecider).when({ type: 'OpenCase', data: { caseId: 'c-1' } });
    expect(() => ok().thenThrows(CaseAlreadyOpen)).toThrow(/Expected decide to throw CaseAlreadyOpen, but it returned/);
    const rejected = () => given(caseDecider).when({ type: 'CloseCase', data: {} });
    expect(() => rejected().thenThrows(CaseAlreadyOpen)).toThrow(/but it threw CaseNotOpen \(TEST.CASE_NOT_OPEN\)/);
    expect(() => rejected().thenThrows('TEST.CASE_ALREADY_OPEN')).toThrow(/code TEST.CASE_ALREADY_OPEN/);
    expect(() => rejected().thenThrows(() => false)).toThrow();
  });

  it('fills given events with fixture metadata, overridable per event', () => {
    given(caseDecider, [{ type: 'CaseOpened', data: opened }])
      .when({ type: 'Touch', data: {} })
      .thenState({ status: 'Open', orgUnitPath: TEST_ORG_UNIT_PATH });
    given(caseDecider, [{ type: 'CaseOpened', data: opened, metadata: { orgUnitPath: 'cn.52' } }])
      .when({ type: 'CloseCase', data: {} })
      .thenState({ status: 'Closed', orgUnitPath: 'cn.52' });
  });

  it('thenState fails on a different state', () => {
    expect(() => given(caseDecider).when({ type: 'OpenCase', data: { caseId: 'c' } }).thenState({ status: 'None' })).toThrow();
  });

  it('binds a decider once with forDecider', () => {
    const givenCase = forDecider(caseDecider);
    givenCase([{ type: 'CaseOpened', data: opened }]).when({ type: 'OpenCase', data: { caseId: 'c-1' } }).thenThrows(CaseAlreadyOpen);
  });

  it('says so when awaited as if it were a promise', async () => {
    const outcome = given(caseDecider).when({ type: 'Touch', data: {} });
    await expect((async () => await (outcome as unknown as Promise<unknown>))()).rejects.toThrow(/not a promise/);
  });
});

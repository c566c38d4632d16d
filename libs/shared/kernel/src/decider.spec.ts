import { assertNever } from './assert-never';
import type { Command } from './command';
import { fold, type Decider } from './decider';
import type { Event, EventMetadata } from './event';
import { isIsoInstant } from './time';

type Opened = Event<'Opened', { id: string }>;
type Noted = Event<'Noted', { text: string }>;
type CounterEvent = Opened | Noted;
type Open = Command<'Open', { id: string }>;
type Note = Command<'Note', { text: string }>;
type State = { status: 'None' } | { status: 'Open'; id: string; notes: string[] };

const decider: Decider<State, Open | Note, CounterEvent> = {
  initialState: { status: 'None' },
  decide: (command) => {
    switch (command.type) {
      case 'Open':
        return [{ type: 'Opened', data: { id: command.data.id } }];
      case 'Note':
        return [{ type: 'Noted', data: { text: command.data.text } }];
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'Opened':
        return { status: 'Open', id: event.data.id, notes: [] };
      case 'Noted':
        return state.status === 'Open' ? { ...state, notes: [...state.notes, event.data.text] } : state;
      default:
        return assertNever(event);
    }
  },
};

const metadata: EventMetadata = {
  commandId: 'c',
  correlationId: 'c',
  causationId: 'c',
  actor: { userId: 'u' },
  orgUnitPath: 'cn',
  occurredAt: '2024-01-01T00:00:00Z',
  schemaVersion: 1,
};

describe('fold', () => {
  it('folds events from the initial state, or from a given state', () => {
    const opened: Opened = { type: 'Opened', data: { id: 'a' }, metadata };
    const noted: Noted = { type: 'Noted', data: { text: 'hi' }, metadata };
    expect(fold(decider, [])).toEqual({ status: 'None' });
    const state = fold(decider, [opened, noted]);
    expect(state).toEqual({ status: 'Open', id: 'a', notes: ['hi'] });
    expect(fold(decider, [noted], state)).toEqual({ status: 'Open', id: 'a', notes: ['hi', 'hi'] });
  });
});

describe('assertNever', () => {
  it('throws on a value the switch did not expect, naming its type', () => {
    expect(() => decider.evolve({ status: 'None' }, { type: 'Unknown', data: {}, metadata } as never)).toThrow(
      'Unexpected value: "Unknown"',
    );
    expect(() => assertNever(42 as never, 'no such case')).toThrow('no such case');
  });
});

describe('isIsoInstant', () => {
  it.each(['2024-03-01T08:00:00.000Z', '2024-03-01T16:00:00+08:00', '2024-03-01T08:00Z'])('accepts %s', (v) =>
    expect(isIsoInstant(v)).toBe(true),
  );
  it.each(['2024-03-01', '2024-03-01T08:00:00', 'yesterday', '2024-13-01T08:00:00Z', 42])('rejects %s', (v) =>
    expect(isIsoInstant(v)).toBe(false),
  );
});

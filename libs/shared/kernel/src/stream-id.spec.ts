import { InvalidIdentifier } from './errors';
import { contextOf, streamId, streamIdFor } from './stream-id';

describe('streamId', () => {
  it('builds <context>.<aggregate>-<id>', () => {
    expect(streamId('union', 'labor-dispute', '7f3c0d2e-1b2a-4c3d-9e8f-001122334455')).toBe(
      'union.labor-dispute-7f3c0d2e-1b2a-4c3d-9e8f-001122334455',
    );
    expect(streamId('youth-league', 'volunteer', 'v_42')).toBe('youth-league.volunteer-v_42');
  });

  it.each([
    ['Union', 'labor-dispute', 'x'],
    ['union.x', 'labor-dispute', 'x'],
    ['union', 'LaborDispute', 'x'],
    ['union', 'labor--dispute', 'x'],
    ['union', 'labor-dispute', ''],
    ['union', 'labor-dispute', 'a b'],
    ['union', 'labor-dispute', 'a.b'],
    ['union', 'labor-dispute', '-a'],
    ['union', 'labor-dispute', 'x'.repeat(129)],
  ])('rejects %j / %j / %j', (context, aggregate, id) => {
    expect(() => streamId(context, aggregate, id)).toThrow(InvalidIdentifier);
  });

  it('does not echo a rejected id, which may be personal data', () => {
    try {
      streamId('community', 'resident', '44030519900101123X ');
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidIdentifier);
      expect(JSON.stringify(e)).not.toContain('44030519900101123X');
      expect((e as Error).message).not.toContain('44030519900101123X');
    }
  });
});

describe('streamIdFor', () => {
  const disputeStream = streamIdFor('union', 'labor-dispute');

  it('builds ids and reads the aggregate id back even when both contain dashes', () => {
    const id = '7f3c0d2e-1b2a-4c3d-9e8f-001122334455';
    expect(disputeStream(id)).toBe(`union.labor-dispute-${id}`);
    expect(disputeStream.prefix).toBe('union.labor-dispute-');
    expect(disputeStream.idOf(disputeStream(id))).toBe(id);
    expect(disputeStream.owns(disputeStream(id))).toBe(true);
  });

  it('does not claim streams of other aggregates or contexts', () => {
    expect(disputeStream.idOf('union.labor-contract-1')).toBeUndefined();
    expect(disputeStream.idOf('community.labor-dispute-1')).toBeUndefined();
    expect(disputeStream.idOf('union.labor-dispute-')).toBeUndefined();
    expect(disputeStream.owns('union.labor-disputes-1')).toBe(false);
  });

  it('validates names up front', () => {
    expect(() => streamIdFor('Union', 'dispute')).toThrow(InvalidIdentifier);
  });
});

describe('contextOf', () => {
  it('returns the part before the first dot', () => {
    expect(contextOf('youth-league.volunteer-1')).toBe('youth-league');
    expect(contextOf('no-context-1')).toBeUndefined();
    expect(contextOf('.x-1')).toBeUndefined();
  });
});

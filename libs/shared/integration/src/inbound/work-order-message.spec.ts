import { InvalidWorkOrderError, parseWorkOrderMessage } from './work-order-message';
import { workOrderMessage } from '../testing/work-order-fixtures';

const problemsOf = (value: string | null): string[] => {
  try {
    parseWorkOrderMessage(value);
  } catch (e) {
    if (e instanceof InvalidWorkOrderError) return [...e.problems];
    throw e;
  }
  return [];
};

describe('inbound work-order message', () => {
  it('turns a valid CloudEvent into a work order whose message id is the command id', () => {
    const { id, value } = workOrderMessage({
      data: { ticketNumber: 'SZ-20260506-000123', gridCode: 'grid-07', caller: { name: '張先生', phone: '13812345678', wantsReply: true } },
    });
    expect(parseWorkOrderMessage(value)).toEqual({
      messageId: id,
      source: '/hotline/12345/test',
      ticketNumber: 'SZ-20260506-000123',
      category: 'component.public-facilities.manhole-cover',
      matterType: 'report',
      description: '人行道井蓋缺失，夜間行人易絆倒',
      location: { address: '松陵鎮城中社區中山路與仲英大道路口東北角', latitude: 31.161, longitude: 120.645 },
      gridCode: 'grid-07',
      communityCode: 'test-community',
      callerRef: `caller-${id.slice(0, 8)}`,
      caller: { name: '張先生', phone: '13812345678', confidential: false, wantsReply: true },
      timeLimitWorkingDays: 3,
      dispatchedAt: '2026-05-06T09:15:00+08:00',
    });
  });

  it('takes the CloudEvents time when the order has no dispatch time, and allows a grid code alone', () => {
    const { value } = workOrderMessage({ data: { dispatchedAt: undefined, communityCode: undefined, gridCode: 'g1', matterType: undefined } });
    expect(parseWorkOrderMessage(value)).toMatchObject({ dispatchedAt: '2026-05-06T09:15:05+08:00', gridCode: 'g1', communityCode: null, matterType: null });
  });

  it('lists every problem by field, without echoing values', () => {
    const { value } = workOrderMessage({
      data: {
        ticketNumber: 'bad ticket!',
        description: '',
        location: { address: 'x', latitude: 200 },
        communityCode: undefined,
        callerRef: undefined,
        timeLimitWorkingDays: 0.5,
        dispatchedAt: 'yesterday',
        extra: 1,
      },
    });
    expect(problemsOf(value)).toEqual([
      'data.extra is not a known field',
      'data.ticketNumber has an invalid format',
      'data.description must not be empty',
      'data.location.latitude must be a number between -90 and 90',
      'data.gridCode or data.communityCode is required',
      'data.callerRef is required',
      'data.timeLimitWorkingDays must be an integer from 1 to 365',
      'data.dispatchedAt must be an ISO 8601 instant with a zone (e.g. 2026-05-01T08:30:00+08:00)',
    ]);
    expect(problemsOf(value).join(' ')).not.toContain('bad ticket');
  });

  it('rejects what is not a work-order CloudEvent', () => {
    expect(problemsOf('not json')[0]).toMatch(/^not a CloudEvents 1.0 JSON event/);
    expect(problemsOf(null)[0]).toMatch(/tombstone/);
    const wrongType = { ...workOrderMessage().event, type: 'something.else' };
    expect(problemsOf(JSON.stringify(wrongType))).toEqual(['type must be gongzhi.inbound.hotline-work-order.v1']);
    const badId = { ...workOrderMessage().event, id: 'has spaces' };
    expect(problemsOf(JSON.stringify(badId))[0]).toMatch(/^id must be/);
    expect(new InvalidWorkOrderError(['x']).retriable).toBe(false);
  });
});

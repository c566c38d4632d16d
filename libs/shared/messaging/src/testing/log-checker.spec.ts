import { checkLog, type AckedRecord, type ConsumedRecord } from './log-checker';

// A clean history: keys a and b on partitions 0 and 1, sent a1 a2 b1 a3 b2.
const acked: AckedRecord[] = [
  { id: 'a1', key: 'a', partition: 0, offset: '0' },
  { id: 'a2', key: 'a', partition: 0, offset: '1' },
  { id: 'b1', key: 'b', partition: 1, offset: '0' },
  { id: 'a3', key: 'a', partition: 0, offset: '2' },
  { id: 'b2', key: 'b', partition: 1, offset: '1' },
];
const consumedAll = (session = 's1'): ConsumedRecord[] => acked.map((r) => ({ ...r, session }));

describe('checkLog', () => {
  it('accepts a history where everything acknowledged was consumed once, in order', () => {
    const result = checkLog(acked, consumedAll());
    expect(result.valid).toBe(true);
    expect(result.summary).toContain('lost-write=0');
  });

  it('reports a lost write when a higher offset of the partition was consumed', () => {
    const consumed = consumedAll().filter((r) => r.id !== 'a2');
    const result = checkLog(acked, consumed);
    expect(result.valid).toBe(false);
    expect(result.lostWrites.map((r) => r.id)).toEqual(['a2']);
    expect(result.unseen).toEqual([]);
    // the consumer session also jumped over offset 1 of partition 0
    expect(result.pollSkips).toEqual([{ session: 's1', partition: '/0', from: '0', to: '2', skipped: ['1'] }]);
  });

  it('reports the tail that was never polled as unseen, and tolerates it when asked', () => {
    const consumed = consumedAll().filter((r) => r.id !== 'a3');
    const strict = checkLog(acked, consumed);
    expect(strict.unseen.map((r) => r.id)).toEqual(['a3']);
    expect(strict.lostWrites).toEqual([]);
    expect(strict.valid).toBe(false);
    expect(checkLog(acked, consumed, { requireAllSeen: false }).valid).toBe(true);
  });

  it('reports a message stored twice as a duplicate unless duplicates are allowed', () => {
    const resent: AckedRecord = { id: 'a2', key: 'a', partition: 0, offset: '3' };
    const consumed = [...consumedAll(), { ...resent, session: 's1' }];
    const result = checkLog([...acked, resent], consumed);
    expect(result.duplicates).toEqual([{ id: 'a2', placements: ['/0@1', '/0@3'] }]);
    expect(result.valid).toBe(false);
    expect(checkLog(acked, consumed, { allowDuplicates: true }).valid).toBe(true);
  });

  it('reports one offset holding two different messages', () => {
    const consumed = consumedAll().map((r) => (r.id === 'b2' ? { ...r, id: 'zz' } : r));
    const result = checkLog(acked, consumed);
    expect(result.inconsistentOffsets).toEqual([{ placement: '/1@1', ids: ['b2', 'zz'] }]);
    expect(result.valid).toBe(false);
  });

  it('reports a key whose later send was stored at a lower offset', () => {
    const swapped = acked.map((r) => (r.id === 'a2' ? { ...r, offset: '2' } : r.id === 'a3' ? { ...r, offset: '1' } : r));
    // the consumer reads the log in offset order: a1 a3 a2
    const inLogOrder = [...swapped].sort((x, y) => x.partition - y.partition || Number(x.offset) - Number(y.offset));
    const result = checkLog(swapped, inLogOrder);
    expect(result.orderViolations).toEqual([expect.objectContaining({ key: 'a', where: 'log', earlier: 'a2', later: 'a3' })]);
    expect(result.valid).toBe(false);
  });

  it('reports a key spread over two partitions', () => {
    const split = acked.map((r) => (r.id === 'a3' ? { ...r, partition: 2, offset: '0' } : r));
    const result = checkLog(split, split.map((r) => ({ ...r })));
    expect(result.orderViolations[0]).toMatchObject({ key: 'a', where: 'log', detail: expect.stringContaining('spans partitions') });
  });

  it('reports a consumer that handled a key out of order', () => {
    const consumed: ConsumedRecord[] = [acked[0], acked[3], acked[1], acked[2], acked[4]].map((r) => ({ ...r }));
    const result = checkLog(acked, consumed);
    expect(result.orderViolations).toEqual([expect.objectContaining({ key: 'a', where: 'consumed', later: 'a2' })]);
  });

  it('allows a rewind to the committed offset in a new session (redelivery), but not within one session', () => {
    // s1 handled a1 a2, crashed before committing a2; s2 starts again at a2.
    const rewound: ConsumedRecord[] = [
      { ...acked[0], session: 's1' },
      { ...acked[1], session: 's1' },
      { ...acked[1], session: 's2' },
      { ...acked[2], session: 's2' },
      { ...acked[3], session: 's2' },
      { ...acked[4], session: 's2' },
    ];
    const ok = checkLog(acked, rewound);
    expect(ok.valid).toBe(true);
    expect(ok.redeliveries).toEqual([{ placement: '/0@1', count: 2 }]);
    expect(checkLog(acked, rewound, { allowRedelivery: false }).valid).toBe(false);

    const sameSession = rewound.map((r) => ({ ...r, session: 's1' }));
    const bad = checkLog(acked, sameSession);
    expect(bad.nonMonotonicPolls).toEqual([{ session: 's1', partition: '/0', previous: '1', offset: '1' }]);
    expect(bad.valid).toBe(false);
  });

  it('keeps topics apart', () => {
    const other: AckedRecord = { id: 'x1', key: 'a', topic: 'other', partition: 0, offset: '1' };
    const withTopic = acked.map((r) => ({ ...r, topic: 'main' }));
    const result = checkLog([...withTopic, other], [...withTopic, other].map((r) => ({ ...r, session: 's' })));
    expect(result.inconsistentOffsets).toEqual([]);
    // key "a" now spans main/0 and other/0
    expect(result.orderViolations).toHaveLength(1);
  });
});

import { type ConnectionShape, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize, paginateArray } from './pagination';

describe('cursor pagination', () => {
  const items = Array.from({ length: 250 }, (_, i) => ({ id: `u${String(i).padStart(3, '0')}` }));

  it('walks a list page by page with opaque cursors and no overlap', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: ConnectionShape<{ id: string }> = paginateArray(items, { first: 100, after }, (i) => i.id);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(after).not.toContain('u');
    }
    expect(seen).toEqual(items.map((i) => i.id));
  });

  it('caps first at the server maximum and refuses a non-positive size', () => {
    expect(paginateArray(items, { first: 1000 }, (i) => i.id).nodes).toHaveLength(MAX_PAGE_SIZE);
    expect(pageSize(undefined)).toBe(20);
    expect(() => pageSize(0)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  it('round-trips cursors and rejects forged ones as BAD_USER_INPUT', () => {
    expect(decodeCursor(encodeCursor({ path: 'cn.32', id: 7 }))).toEqual({ path: 'cn.32', id: 7 });
    for (const bad of ['not a cursor!', Buffer.from('{"id":1}').toString('base64url'), 'x'.repeat(2000)]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    }
  });
});

import { childPath, depthOf, isValidOrgId, isWithin, parentPathOf, rebasePath } from './org-path';

describe('materialized paths', () => {
  it('builds paths that end with a slash', () => {
    expect(childPath(null, 'p')).toBe('/p/');
    expect(childPath('/p/', 'c')).toBe('/p/c/');
    expect(depthOf('/p/c/ca/')).toBe(3);
    expect(parentPathOf('/p/c/ca/')).toBe('/p/c/');
    expect(parentPathOf('/p/')).toBeNull();
  });

  it('never treats a prefix sibling as a descendant', () => {
    expect(isWithin('/a/b10/', '/a/b1/')).toBe(false);
    expect(isWithin('/a/b1/x/', '/a/b1/')).toBe(true);
  });

  it('rebases a subtree and leaves other paths alone', () => {
    expect(rebasePath('/p/c/ca/cm/', '/p/c/ca/', '/p/c2/ca/')).toBe('/p/c2/ca/cm/');
    expect(rebasePath('/p/c/cb/', '/p/c/ca/', '/p/c2/ca/')).toBe('/p/c/cb/');
  });

  it('accepts lowercase ids and UUIDs only', () => {
    expect(isValidOrgId('0190f5a2-7b1c-7d2e-8f00-123456789abc')).toBe(true);
    expect(isValidOrgId('songling')).toBe(true);
    expect(isValidOrgId('root')).toBe(false);
    expect(isValidOrgId('Songling')).toBe(false);
  });
});

import { IntegrationEventRegistry, MappingError, type IntegrationEventMapping, cloudEventTypeOf, defineIntegrationEvents, pickPublic, subjectOf } from './registry';

describe('IntegrationEventRegistry', () => {
  const filed = defineIntegrationEvents('union', 'labor-dispute', { DisputeFiled: { name: 'filed', fields: ['disputeId'] } });

  it('maps by event type and leaves unmapped types inside', () => {
    const registry = new IntegrationEventRegistry([{ context: 'union', mappings: filed }]);
    expect(cloudEventTypeOf(registry.mappingFor('DisputeFiled') as IntegrationEventMapping)).toBe('gongzhi.union.labor-dispute.filed.v1');
    expect(registry.mappingFor('MediatorNoteAdded')).toBeUndefined();
    expect(registry.contexts()).toEqual(['union']);
  });

  it('refuses an event type mapped twice, a mapping filed under another context, and malformed names', () => {
    expect(() => new IntegrationEventRegistry([...filed, ...filed])).toThrow('DisputeFiled is mapped twice');
    expect(() => new IntegrationEventRegistry([{ context: 'community', mappings: filed }])).toThrow('inside the community contribution');
    expect(() => defineIntegrationEvents('Union', 'x', { A: { name: 'a' } }).forEach((m) => new IntegrationEventRegistry([m]))).toThrow('context must be kebab-case');
  });
});

describe('mapping helpers', () => {
  it('copies listed scalar fields (and lists of scalars) only, renaming on request', () => {
    const data = { id: 'a', at: '2026-01-01T00:00:00Z', count: 2, flag: false, none: null, tags: ['x', 'y'], other: 'secret' };
    expect(pickPublic(data, ['id', 'at', 'count', 'flag', 'none', 'tags', 'missing'], { at: 'closedAt' })).toEqual({
      id: 'a',
      closedAt: '2026-01-01T00:00:00Z',
      count: 2,
      flag: false,
      none: null,
      tags: ['x', 'y'],
    });
  });

  it('throws instead of copying an object (a person, an address, an envelope)', () => {
    expect(() => pickPublic({ reporter: { name: 'x' } }, ['reporter'])).toThrow(MappingError);
    expect(() => pickPublic({ list: [{ a: 1 }] }, ['list'])).toThrow('not a scalar or a list of scalars');
  });

  it('takes the subject from the stream id of the mapped aggregate', () => {
    expect(subjectOf({ context: 'community', aggregate: 'incident' }, 'community.incident-0197a3c2-5b1e')).toBe('0197a3c2-5b1e');
    expect(() => subjectOf({ context: 'community', aggregate: 'incident' }, 'community.grid-g1')).toThrow(MappingError);
  });
});

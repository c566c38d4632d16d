import { canonicalJson, computeEventHash } from './hash-chain';

// Every stored hash covers these bytes: a change to canonicalJson would make verifyStream report
// every existing event as tampered. The expected values were produced by the first version.
describe('canonical JSON and the event hash', () => {
  it('sorts keys at every level, drops undefined members, keeps arrays in order, escapes as JSON does', () => {
    const value = { z: [3, { y: null, x: 'é"\\\n中' }, [], {}], a: { c: undefined, b: -0, d: 1e21, e: true }, '': 1.5, '10': 'ten', '2': [null] };
    expect(canonicalJson(value)).toBe('{"":1.5,"10":"ten","2":[null],"a":{"b":0,"d":1e+21,"e":true},"z":[3,{"x":"é\\"\\\\\\n中","y":null},[],{}]}');
    expect(canonicalJson([1, undefined, 'x'])).toBe('[1,null,"x"]');
  });

  it('gives the same hash chain for the same events as it always has', () => {
    const event = {
      id: 'e-1',
      streamId: 'volunteer-1',
      revision: 0,
      type: 'VolunteerHoursCredited',
      data: { hours: 2.5, note: '社区' },
      metadata: { commandId: 'c-1', schemaVersion: 1 },
    };
    const first = computeEventHash(event, null);
    expect(first).toBe('0fde485b0643ac3d20cfc1ff8c47fc72f6e024205baa680e21b25b1f3a4ea44a');
    expect(computeEventHash({ ...event, id: 'e-2', revision: 1 }, first)).toBe('a09d6c4654b33cfbd7d853232d54272a5047ecddd64cd40ea864b2bb8f4ca62f');
  });
});

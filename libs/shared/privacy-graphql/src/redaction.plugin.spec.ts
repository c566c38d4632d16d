import { redactPersonalData } from './redaction.plugin';

describe('redactPersonalData', () => {
  it.each([
    [
      'Variable "$i" got invalid value { name: "張三明", phone: 1 } at "i.phone"; Int cannot represent non-integer value: "x"',
      'Variable "$i" got invalid value <redacted> at "i.phone"; Int cannot represent non-integer value: <redacted>',
    ],
    ['Variable "$id" got invalid value { a: "張三明" }; ID cannot represent value: { a: "張三明" }', 'Variable "$id" got invalid value <redacted>; ID cannot represent value: <redacted>'],
    ['Expected value of type "Int!", found "張三明".', 'Expected value of type "Int!", found <redacted>.'],
    ['String cannot represent a non string value: ["張三明"]', 'String cannot represent a non string value: <redacted>'],
    ['call 13812345678 or +86 139 8765 4321, id 11010519491231002X.', 'call <redacted> or <redacted>, id <redacted>.'],
  ])('%s', (input, expected) => expect(redactPersonalData(input)).toBe(expected));

  it('leaves ordinary messages alone', () => {
    const text = 'Worker 0190b3f4-7c1e-7a2b-9f00-00000000a11c not found';
    expect(redactPersonalData(text)).toBe(text);
  });
});

import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { checkIdNumber, isValidMobile, normalizeMobile } from '@gongzhi/privacy';

/**
 * Input scalars that validate personal identifiers at the edge (RELIABILITY.md §3: "custom
 * scalars ChineseIdNumber with checksum, PhoneCN"). Their errors never quote the value.
 */
const literalString = (ast: ValueNode, scalar: string): string => {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${scalar} must be a string`, { extensions: { code: 'BAD_USER_INPUT' } });
  return ast.value;
};

const idNumber = (value: unknown): string => {
  if (typeof value !== 'string') throw new GraphQLError('ChineseIdNumber must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
  const check = checkIdNumber(value);
  if (!check.valid) {
    throw new GraphQLError(`Not a valid resident ID number (${check.problem})`, { extensions: { code: 'BAD_USER_INPUT', problem: check.problem } });
  }
  return check.normalized;
};

const mobile = (value: unknown): string => {
  if (typeof value !== 'string' || !isValidMobile(value)) {
    throw new GraphQLError('Not a valid mainland China mobile number', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return normalizeMobile(value);
};

export const ChineseIdNumberScalar = new GraphQLScalarType({
  name: 'ChineseIdNumber',
  description: '居民身份證號碼: 18 characters, ISO 7064 MOD 11-2 check character, valid birth date. Input only; outputs are masked strings.',
  parseValue: idNumber,
  parseLiteral: (ast) => idNumber(literalString(ast, 'ChineseIdNumber')),
  serialize: (value) => String(value),
});

export const MobileCNScalar = new GraphQLScalarType({
  name: 'MobileCN',
  description: 'Mainland China mobile number (11 digits starting 13–19; +86 and separators accepted). Input only.',
  parseValue: mobile,
  parseLiteral: (ast) => mobile(literalString(ast, 'MobileCN')),
  serialize: (value) => String(value),
});

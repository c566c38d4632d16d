import { Writable } from 'node:stream';
import pino from 'pino';
import { DataSource, QueryFailedError } from 'typeorm';
import { findPersonalPatterns } from '@gongzhi/privacy';
import { loggerParams } from './logging';
import { scrubPersonalPatterns, serializeError } from './log-redaction';

const ID_NUMBER = '11010519491231002X';
const PHONE = '13812345678';

/** A pino logger built from the platform's own options, writing into an array. */
const captureLogger = () => {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _enc, cb) => {
      lines.push(String(chunk));
      cb();
    },
  });
  const [options] = loggerParams('info', sink).pinoHttp as [pino.LoggerOptions, NodeJS.WritableStream];
  return { logger: pino(options, sink), lines };
};

describe('log redaction', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
    await ds.query('CREATE TABLE workers (id_number TEXT PRIMARY KEY, phone TEXT, name TEXT)');
  });
  afterAll(() => ds.destroy());

  /** A unique violation: TypeORM wraps it in a QueryFailedError that keeps the bound values. */
  const failedQuery = async (): Promise<QueryFailedError> => {
    const insert = 'INSERT INTO workers (id_number, phone, name) VALUES (?, ?, ?)';
    await ds.query(insert, [ID_NUMBER, PHONE, '張三豐']);
    try {
      await ds.query(insert, [ID_NUMBER, PHONE, '張三豐']);
    } catch (e) {
      return e as QueryFailedError;
    }
    throw new Error('the query was expected to fail');
  };

  it('logs a failed query with its SQL but without the values it was run with', async () => {
    const error = await failedQuery();
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error.parameters).toEqual([ID_NUMBER, PHONE, '張三豐']);
    const { logger, lines } = captureLogger();
    logger.error({ err: error, msg: 'query failed' });
    const entry = JSON.parse(lines[0]);
    expect(entry.err.query).toContain('INSERT INTO workers');
    expect(entry.err.parameters).toBe('[redacted]');
    expect(lines[0]).not.toContain('張三豐');
    expect(findPersonalPatterns(lines[0])).toEqual([]);
  });

  it('redacts nested driver errors and PostgreSQL details', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "workers_pkey"'), {
      detail: `Key (id_number)=(${ID_NUMBER}) already exists.`,
      parameters: ['王五'],
    });
    const wrapped = Object.assign(new Error('insert failed'), { driverError, detail: driverError.detail });
    const out = JSON.stringify(serializeError(wrapped));
    expect(out).not.toContain(ID_NUMBER);
    expect(out).not.toContain('王五');
    expect(out).toContain('duplicate key value violates unique constraint');
  });

  it('replaces ID numbers and phones anywhere in a line, keeping it valid JSON', () => {
    const { logger, lines } = captureLogger();
    logger.info({ note: `caller ${ID_NUMBER} at 138-1234-5678`, bare: 13812345678, position: 13812345678901 }, `msg ${PHONE}`);
    const line = lines[0];
    expect(findPersonalPatterns(line)).toEqual([]);
    const entry = JSON.parse(line);
    expect(entry.note).toBe('caller [redacted] at [redacted]');
    expect(entry.bare).toBe('[redacted]');
    expect(entry.position).toBe(13812345678901);
    expect(entry.msg).toBe('msg [redacted]');
    expect(scrubPersonalPatterns('{"a":"nothing personal 12345"}')).toBe('{"a":"nothing personal 12345"}');
  });

  it('escaped quotes do not confuse the scrubber', () => {
    const line = JSON.stringify({ msg: `he said "${PHONE}" and \\"${ID_NUMBER}` }) + '\n';
    const out = scrubPersonalPatterns(line);
    expect(JSON.parse(out).msg).toBe('he said "[redacted]" and \\"[redacted]');
  });
});

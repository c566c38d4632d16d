import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@gongzhi/auth';
import { findPersonalPatterns } from '@gongzhi/privacy';
import { codesOf, E2eApp, type GraphqlResponse } from './testing/e2e-harness';

const FORGET = 'mutation($i: ForgetSubjectInput!) { forgetSubject(input: $i) { subjectId erasedNow keyVersionsDestroyed auditSeq eventId } }';
const AUDIT = '{ auditLog(first: 20) { nodes { seq action result actorUserId subjectId } } auditChain { valid checked headSeq } }';

/**
 * The privacy API as wired into the platform, and RELIABILITY.md P-3 at the platform level:
 * requests that carry ID numbers and phones where they do not belong, then a grep of every
 * response and every log line for them.
 */
describe('personal-data protection in the platform (e2e)', () => {
  let e: E2eApp;
  let admin: string;
  let officer: string;
  const responses: GraphqlResponse[] = [];
  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const r = await e.gql(query, variables, { Authorization: token });
    responses.push(r);
    return r;
  };

  beforeAll(async () => {
    e = await E2eApp.start();
    admin = e.token('operator', [Role.Admin], 'root');
    officer = e.token('officer', [Role.UnionOfficer], 'root');
  });
  afterAll(() => e?.close());

  it('generated the vault keys into DATA_DIR/keys with mode 0600', () => {
    expect(statSync(join(e.dataDir, 'keys', 'kek.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(e.dataDir, 'keys', 'index.key')).mode & 0o777).toBe(0o600);
  });

  it('forgets a subject (admins only), appends a PII-free SubjectErased, audits, and verifies the audit chain', async () => {
    const subjectId = randomUUID();
    expect(codesOf(await gql(FORGET, { i: { subjectId, basis: 'PIPL Art 47(1)' } }, officer))).toEqual(['FORBIDDEN']);
    const done = await gql(FORGET, { i: { subjectId, basis: 'PIPL Art 47(1): request 2024-17' } }, admin);
    expect(done.body.data.forgetSubject).toMatchObject({ subjectId, erasedNow: true, keyVersionsDestroyed: [] });
    const [event] = await e.store.readStream(`privacy.subject-${subjectId}`);
    expect(event).toMatchObject({ type: 'SubjectErased', data: { subjectId, basis: 'PIPL Art 47(1): request 2024-17', requestedBy: 'operator' } });
    const again = await gql(FORGET, { i: { subjectId, basis: 'PIPL Art 47(1): request 2024-17' } }, admin);
    expect(again.body.data.forgetSubject.erasedNow).toBe(false);

    const audit = await gql(AUDIT, {}, admin);
    const rows = audit.body.data.auditLog.nodes as Array<{ action: string; result: string; subjectId: string | null }>;
    expect(rows.filter((r) => r.subjectId === subjectId).map((r) => `${r.action}:${r.result}`)).toEqual(
      expect.arrayContaining(['erasure:allowed', 'erasure:denied']),
    );
    expect(audit.body.data.auditChain.valid).toBe(true);
    expect(codesOf(await gql(AUDIT, {}, officer))).toEqual(['FORBIDDEN']);
  });

  it('P-3: no ID number or phone in any response or log line, even when requests carry them', async () => {
    // Personal data where it does not belong: a phone as a subject id, in a legal basis, in a filter.
    expect(codesOf(await gql(FORGET, { i: { subjectId: { phone: '13812345678' }, basis: 'x' } }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await gql(FORGET, { i: { subjectId: '11010519491231002X', basis: 'x' } }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await gql(FORGET, { i: { subjectId: randomUUID(), basis: 'worker 11010519491231002X asked' } }, admin))).toEqual(['DOMAIN_RULE']);
    expect(codesOf(await gql('query($f: AuditLogFilter) { auditLog(filter: $f) { nodes { seq } } }', { f: { subjectId: '13812345678' } }, admin))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codesOf(await gql('query($n: Int) { auditLog(first: $n) { nodes { seq } } }', { n: '13987654321' }, admin))).toEqual(['BAD_USER_INPUT']);

    const text = [...responses.map((r) => JSON.stringify(r.body)), ...e.logs].join('\n');
    expect(e.logs.length).toBeGreaterThan(0);
    expect(findPersonalPatterns(text)).toEqual([]);
    expect(text).not.toMatch(/11010519491231002X|13812345678|13987654321/);
  });
});

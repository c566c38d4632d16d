import { createHmac } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { KEY_BYTES } from '../crypto/aead';
import { KeyMaterialError } from '../crypto/key-material';
import { InvalidIdNumberError, InvalidMobileError } from '../errors';
import { checkIdNumber } from '../validation/cn-id-number';
import { isValidMobile, normalizeMobile } from '../validation/cn-mobile';
import { BlindIndexRow } from './entities';
import type { PersonalDataVault } from './vault';
import { withWriteLock } from '../write-lock';

export type BlindIndexKind = 'id-number' | 'mobile';

const normalize = (kind: BlindIndexKind, raw: string): string => {
  if (kind === 'id-number') {
    const check = checkIdNumber(raw);
    if (!check.valid) throw new InvalidIdNumberError(check.problem);
    return check.normalized;
  }
  if (!isValidMobile(raw)) throw new InvalidMobileError();
  return normalizeMobile(raw);
};

/**
 * Lookup of a subject by ID number (or mobile) without the number in clear: the side table holds
 * HMAC-SHA-256(index key, kind ‖ normalized value). Erasure deletes the subject's rows, after
 * which the same number finds nobody and a new filing starts a new subject.
 */
export class BlindIndex {
  constructor(
    private readonly ds: DataSource,
    private readonly indexKey: Buffer,
    private readonly vault: PersonalDataVault,
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (indexKey.length !== KEY_BYTES) throw new KeyMaterialError('The blind-index key must be 32 bytes');
  }

  /** The index value; throws (without echoing it) for an invalid number. */
  hash(kind: BlindIndexKind, raw: string): string {
    return createHmac('sha256', this.indexKey).update(`gongzhi.blind-index.v1\n${kind}\n${normalize(kind, raw)}`).digest('hex');
  }

  async findSubject(kind: BlindIndexKind, raw: string): Promise<string | undefined> {
    const row = await this.ds.manager.findOneBy(BlindIndexRow, { kind, hash: this.hash(kind, raw) });
    return row?.subjectId;
  }

  /**
   * "Has this worker filed before?": the subject already indexed under this number, or a newly
   * registered one. Concurrent first filings of one person settle on one subject (primary key).
   */
  async subjectFor(kind: BlindIndexKind, raw: string): Promise<{ subjectId: string; known: boolean }> {
    const hash = this.hash(kind, raw);
    const existing = await this.ds.manager.findOneBy(BlindIndexRow, { kind, hash });
    if (existing) return { subjectId: existing.subjectId, known: true };
    const subjectId = await this.vault.registerSubject();
    await this.insert({ kind, hash, subjectId });
    const winner = await this.ds.manager.findOneByOrFail(BlindIndexRow, { kind, hash });
    return { subjectId: winner.subjectId, known: winner.subjectId !== subjectId };
  }

  /** Indexes another value (a mobile number) under an existing subject. */
  async add(subjectId: string, kind: BlindIndexKind, raw: string): Promise<void> {
    await this.insert({ kind, hash: this.hash(kind, raw), subjectId });
  }

  private insert(row: { kind: BlindIndexKind; hash: string; subjectId: string }): Promise<unknown> {
    return withWriteLock(this.ds, () =>
      this.ds.manager
        .createQueryBuilder()
        .insert()
        .into(BlindIndexRow)
        .values({ ...row, createdAt: this.clock().toISOString() })
        .orIgnore()
        .execute(),
    );
  }

  /** Pass the erasure's transaction; without one the delete is queued like every other write. */
  async deleteForSubject(subjectId: string, manager?: EntityManager): Promise<number> {
    const result = manager
      ? await manager.delete(BlindIndexRow, { subjectId })
      : await withWriteLock(this.ds, () => this.ds.manager.delete(BlindIndexRow, { subjectId }));
    return result.affected ?? 0;
  }
}

import { can, Permission, type Principal } from '@gongzhi/auth';
import type { AuditLog } from '../audit/audit-log';
import { isEncryptedEnvelope, type EncryptedEnvelope, type FieldLocation } from '../keys/envelope';
import type { PersonalDataVault } from '../keys/vault';
import { ERASED_PLACEHOLDER, isErasedPersonalData, isPersonalData, type PersonalValue } from '../personal-value';
import { maskFor, type PersonalDataKind } from '../validation/masking';

export interface RevealRequest {
  /**
   * The stored value: a decoded PersonalData or Erased (from an event), an encrypted envelope (a
   * read model that keeps ciphertext), or nothing.
   */
  value: PersonalValue | EncryptedEnvelope | null | undefined;
  /** Where an envelope was written; required to decrypt one. */
  location?: FieldLocation;
  kind: PersonalDataKind;
  /** The field as the caller sees it (GraphQL field name), for the audit row. */
  field: string;
  /** Owning org path of the record: the unmask permission must cover it. */
  orgUnitPath: string;
  resourceType?: string;
  resourceId?: string;
  /** Why the caller reads it (a use case name); recorded with every unmasked read. */
  purpose?: string;
  correlationId?: string;
}

export interface RevealedValue {
  /** Clear or masked text, the placeholder when erased, null when there is no value. */
  value: string | null;
  masked: boolean;
  erased: boolean;
}

/**
 * The one way personal data leaves the platform (RELIABILITY.md P-4): masked unless the caller's
 * role holds `personal-data:unmask` in a scope covering the record, and then only after an audit
 * row (who, whose, which field, purpose, when, correlation) is written. If the audit write fails
 * the value is not returned.
 */
export class PersonalDataReader {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly audit: AuditLog,
    private readonly options: { defaultPurpose?: string } = {},
  ) {}

  mayUnmask(principal: Principal, orgUnitPath: string): boolean {
    return can(principal, Permission.PersonalDataUnmask, orgUnitPath);
  }

  private async clearText(request: RevealRequest): Promise<{ subjectId: string; text: string } | { subjectId: string; erased: true } | null> {
    const v = request.value;
    if (v === null || v === undefined) return null;
    if (isPersonalData(v)) return { subjectId: v.subjectId, text: v.value };
    if (isErasedPersonalData(v)) return { subjectId: v.subjectId, erased: true };
    if (isEncryptedEnvelope(v)) {
      if (!request.location) throw new Error('Decrypting an envelope needs its location (event id, stream id, field)');
      const result = await this.vault.decrypt(v, request.location);
      return result.status === 'clear' ? { subjectId: v.subjectId, text: result.value } : { subjectId: v.subjectId, erased: true };
    }
    throw new TypeError(`Field ${request.field} does not hold a personal value`);
  }

  async reveal(principal: Principal, request: RevealRequest): Promise<RevealedValue> {
    const clear = await this.clearText(request);
    if (clear === null) return { value: null, masked: false, erased: false };
    if ('erased' in clear) return { value: ERASED_PLACEHOLDER, masked: false, erased: true };
    if (!this.mayUnmask(principal, request.orgUnitPath)) {
      return { value: maskFor(request.kind, clear.text), masked: true, erased: false };
    }
    await this.audit.append({
      action: 'unmask',
      actor: { userId: principal.userId, roles: principal.roles, orgUnitId: principal.orgUnitId },
      subjectId: clear.subjectId,
      field: request.field,
      purpose: request.purpose ?? this.options.defaultPurpose ?? 'unspecified',
      resourceType: request.resourceType,
      resourceId: request.resourceId,
      correlationId: request.correlationId,
      result: 'allowed',
    });
    this.vault.metrics.unmaskedReads.inc({ field: request.field });
    return { value: clear.text, masked: false, erased: false };
  }
}

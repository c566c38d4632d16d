import { DomainError } from '@gongzhi/kernel';

/**
 * Privacy errors name subjects by their opaque id only; none carries a value, since messages end
 * up in logs and API responses (RELIABILITY.md P-3).
 */

/** New personal data for a subject that was forgotten: register a new subject instead. */
export class SubjectErasedError extends DomainError {
  readonly code = 'PRIVACY.SUBJECT_ERASED';
  constructor(subjectId: string) {
    super(`Data subject ${subjectId} has been erased`, { subjectId });
  }
}

export class InvalidIdNumberError extends DomainError {
  readonly code = 'PRIVACY.INVALID_ID_NUMBER';
  constructor(problem: string) {
    super(`Not a valid resident ID number (${problem})`, { problem });
  }
}

export class InvalidMobileError extends DomainError {
  readonly code = 'PRIVACY.INVALID_MOBILE';
  constructor() {
    super('Not a valid mobile number');
  }
}

export class InvalidSubjectIdError extends DomainError {
  readonly code = 'PRIVACY.INVALID_SUBJECT_ID';
  constructor() {
    super('Not a valid data subject id');
  }
}

/**
 * A stored ciphertext failed authentication: altered in the store, moved to another event or
 * field, or the key row was tampered with. Unlike a destroyed key this is never shown as erased.
 */
export class PersonalDataIntegrityError extends Error {
  readonly code = 'PRIVACY.INTEGRITY';
  constructor(where: { subjectId: string; keyVersion: number; eventId?: string; field?: string }) {
    super(
      `Encrypted personal field failed authentication (subject ${where.subjectId} key v${where.keyVersion}` +
        `${where.eventId ? `, event ${where.eventId}` : ''}${where.field ? `, field ${where.field}` : ''})`,
    );
    this.name = 'PersonalDataIntegrityError';
  }
}

import { DomainError } from '@gongzhi/kernel';

/** A period the view cannot answer (an end before its start, too many buckets, a bad instant). */
export class InvalidPeriod extends DomainError {
  readonly code = 'MOBILIZATION.INVALID_PERIOD';
}

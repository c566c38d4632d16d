import { AggregateNotFound, DomainError, isDomainError } from './errors';

class DisputeNotFiled extends DomainError {
  readonly code = 'UNION.DISPUTE_NOT_FILED';
}

describe('DomainError', () => {
  it('carries a stable code, the subclass name and optional details', () => {
    const error = new DisputeNotFiled('The dispute has not been filed', { disputeId: 'd-1' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DisputeNotFiled);
    expect(error.code).toBe('UNION.DISPUTE_NOT_FILED');
    expect(error.name).toBe('DisputeNotFiled');
    expect(error.message).toBe('The dispute has not been filed');
    expect(error.details).toEqual({ disputeId: 'd-1' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'DisputeNotFiled',
      code: 'UNION.DISPUTE_NOT_FILED',
      message: 'The dispute has not been filed',
      details: { disputeId: 'd-1' },
    });
  });

  it('defaults the message to the class name', () => {
    expect(new DisputeNotFiled().message).toBe('DisputeNotFiled');
    expect(new DisputeNotFiled().details).toBeUndefined();
  });

  it('is recognised by isDomainError, also as a copy from another module instance', () => {
    expect(isDomainError(new AggregateNotFound('LaborDispute', 'd-1'))).toBe(true);
    expect(new AggregateNotFound('LaborDispute', 'd-1').code).toBe('COMMON.AGGREGATE_NOT_FOUND');
    const foreign = Object.assign(new Error('x'), { brand: 'gongzhi.DomainError', code: 'UNION.X' });
    expect(isDomainError(foreign)).toBe(true);
    expect(isDomainError(new Error('plain'))).toBe(false);
    expect(isDomainError({ code: 'UNION.X', brand: 'gongzhi.DomainError' })).toBe(false);
  });

  it('lets a context specialise a common error with its own code', () => {
    class DisputeNotFound extends AggregateNotFound {
      override readonly code = 'UNION.DISPUTE_NOT_FOUND';
    }
    const error = new DisputeNotFound('LaborDispute', 'd-9');
    expect(error.code).toBe('UNION.DISPUTE_NOT_FOUND');
    expect(error.details).toEqual({ aggregate: 'LaborDispute', id: 'd-9' });
    expect(error).toBeInstanceOf(AggregateNotFound);
  });
});

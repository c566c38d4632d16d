import { correlationIdOf, type Principal } from '@gongzhi/auth';
import type { PersonalDataReader, RevealedValue, RevealRequest } from '@gongzhi/privacy';

/**
 * For a context's field resolver: the personal value as this caller may see it (masked, clear
 * with an audit row, or the erased placeholder), with the request's correlation id.
 *
 *   @ResolveField(() => String, { nullable: true })
 *   async idNumber(@Parent() w: WorkerRow, @CurrentUser() p: Principal, @Context('req') req) {
 *     return (await revealPersonalField(this.reader, p, req, { value: …, kind: 'idNumber', field: 'idNumber',
 *       orgUnitPath: w.owningOrgPath, resourceType: 'worker', resourceId: w.id, purpose: 'dispute-mediation' })).value;
 *   }
 */
export const revealPersonalField = (
  reader: PersonalDataReader,
  principal: Principal,
  req: Record<string, any> | undefined,
  request: Omit<RevealRequest, 'correlationId'>,
): Promise<RevealedValue> => reader.reveal(principal, { ...request, correlationId: correlationIdOf(req) });

import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { correlationIdOf, CurrentUser, Permission, RequirePermission, type Principal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { commandOptionsOf, MutationResult, toMutationResult } from '@gongzhi/graphql';
import {
  FileLaborDisputeCommand,
  LaborDisputeStepCommand,
  TransferLaborDisputeCommand,
  type CommandMeta,
  type LaborDisputeStepInput,
} from '@gongzhi/union';
import {
  AcceptArbitrationInput,
  ApplyForArbitrationInput,
  ApplyForLegalAidInput,
  ApplyForMediationInput,
  AssignLegalAidLawyerInput,
  CloseLaborDisputeInput,
  CourtInput,
  DecideLegalAidInput,
  DisputeStepInput,
  ExtendAwardDeadlineInput,
  FileLaborDisputeInput,
  FileLawsuitInput,
  IssueArbitralMediationStatementInput,
  IssueAwardInput,
  LapseChallengeWindowInput,
  ReasonInput,
  RecordLimitationInterruptionInput,
  RecordLimitationResumptionInput,
  RecordLimitationSuspensionInput,
  RecordSetAsideRulingInput,
  RejectArbitrationInput,
  SignMediationAgreementInput,
  TransferLaborDisputeInput,
  WithdrawArbitrationInput,
} from './labor-dispute.inputs';

const metaOf = (input: { commandId?: string | null; expectedRevision?: number | null }, req: object): CommandMeta => {
  const { commandId, expectedRevision } = commandOptionsOf(input);
  return {
    correlationId: correlationIdOf(req as Record<string, unknown>),
    ...(commandId !== undefined ? { commandId } : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
};

type StepType = LaborDisputeStepInput['type'];
type StepData<T extends StepType> = Omit<Extract<LaborDisputeStepInput, { type: T }>['data'], 'disputeId'>;

/**
 * One mutation per command of the labor-dispute lifecycle. The permission decorator refuses
 * callers without union:write anywhere; the handlers check it at the dispute (NOT_FOUND outside
 * the scope, FORBIDDEN inside it) and the decider applies the rules (DOMAIN_RULE with UNION.* codes).
 */
@Resolver()
@RequirePermission(Permission.UnionWrite)
export class LaborDisputeMutationsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  private async run(command: object): Promise<MutationResult> {
    return toMutationResult(await this.commandBus.execute<never, CommandResult>(command as never));
  }

  private step<T extends StepType>(
    type: T,
    input: { disputeId: string; commandId?: string | null; expectedRevision?: number | null },
    data: StepData<T>,
    principal: Principal,
    req: object,
  ): Promise<MutationResult> {
    const step = { type, data: { disputeId: input.disputeId, ...data } } as LaborDisputeStepInput;
    return this.run(new LaborDisputeStepCommand(step, principal, metaOf(input, req)));
  }

  @Mutation(() => MutationResult, { description: 'Files a labor dispute with a union in the caller’s scope (Art 2); ≥10 workers with a common claim raise the stability watch (Art 7).' })
  fileLaborDispute(@Args('input') input: FileLaborDisputeInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    const { commandId: _c, expectedRevision: _e, ...data } = input;
    return this.run(
      new FileLaborDisputeCommand(
        {
          ...data,
          ...(data.disputeId ? { disputeId: data.disputeId } : {}),
          workers: data.workers.map((w) => ({ name: w.name, idNumber: w.idNumber ?? null, phone: w.phone ?? null })),
          workersInvolved: data.workersInvolved ?? undefined,
          rightKnownInfringedOn: data.rightKnownInfringedOn ?? null,
          wageArrearsDuringEmployment: data.wageArrearsDuringEmployment ?? false,
          employmentEndedOn: data.employmentEndedOn ?? null,
          employer: { name: data.employer.name, creditCode: data.employer.creditCode },
        },
        principal,
        metaOf(input, req),
      ),
    );
  }

  @Mutation(() => MutationResult, { description: 'Hands the dispute to another union; both must lie in the caller’s scope.' })
  transferLaborDispute(@Args('input') input: TransferLaborDisputeInput, @CurrentUser() principal: Principal, @Context('req') req: object) {
    return this.run(new TransferLaborDisputeCommand({ disputeId: input.disputeId, toOrgUnitId: input.toOrgUnitId, reason: input.reason }, principal, metaOf(input, req)));
  }

  @Mutation(() => MutationResult, { description: 'Art 27 ¶2: the limitation period starts again from that day.' })
  recordLimitationInterruption(@Args('input') input: RecordLimitationInterruptionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordLimitationInterruption', input, { reason: input.reason, on: input.on }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Art 27 ¶3: the limitation period pauses.' })
  recordLimitationSuspension(@Args('input') input: RecordLimitationSuspensionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordLimitationSuspension', input, { reason: input.reason, on: input.on }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Art 27 ¶3: the remaining period continues.' })
  recordLimitationResumption(@Args('input') input: RecordLimitationResumptionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordLimitationResumption', input, { on: input.on }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Arts 10, 12: applies to a mediation organization (interrupts the limitation period).' })
  applyForMediation(@Args('input') input: ApplyForMediationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ApplyForMediation', input, { committee: { kind: input.committeeKind, name: input.committeeName }, form: input.form }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'The committee accepts: the 15-day window opens (Art 14).' })
  acceptMediation(@Args('input') input: DisputeStepInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('AcceptMediation', input, {}, p, req);
  }

  @Mutation(() => MutationResult, { description: 'The committee does not take the case or a party refuses mediation.' })
  declineMediation(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('DeclineMediation', input, { reason: input.reason }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'An executed agreement within the window (Art 14); UNION.MEDIATION_WINDOW_CLOSED after it.' })
  signMediationAgreement(@Args('input') input: SignMediationAgreementInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    const { terms, performanceDueDate, partiesSigned, mediatorSigned, committeeSealed } = input;
    return this.step('SignMediationAgreement', input, { terms, performanceDueDate, partiesSigned, mediatorSigned, committeeSealed }, p, req);
  }

  @Mutation(() => MutationResult)
  recordMediationFailure(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordMediationFailure', input, { reason: input.reason }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'What the deadline scheduler sends when the window is due; UNION.MEDIATION_WINDOW_OPEN before.' })
  expireMediationWindow(@Args('input') input: DisputeStepInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ExpireMediationWindow', input, {}, p, req);
  }

  @Mutation(() => MutationResult)
  recordAgreementPerformed(@Args('input') input: DisputeStepInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordAgreementPerformed', input, {}, p, req);
  }

  @Mutation(() => MutationResult, { description: 'After the agreed term: arbitration opens (Art 15).' })
  recordAgreementNotPerformed(@Args('input') input: DisputeStepInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordAgreementNotPerformed', input, {}, p, req);
  }

  @Mutation(() => MutationResult, { description: 'The commission has 5 days to decide on acceptance (Art 29).' })
  applyForArbitration(@Args('input') input: ApplyForArbitrationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ApplyForArbitration', input, { commission: input.commission }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Accepted: the award is due within 45 days (Art 43).' })
  acceptArbitration(@Args('input') input: AcceptArbitrationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('AcceptArbitration', input, { caseNumber: input.caseNumber }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Not accepted, with written reasons (Art 29): the applicant may sue.' })
  rejectArbitration(@Args('input') input: RejectArbitrationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RejectArbitration', input, { reasons: input.reasons }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Once, at most 15 days, approved by the chair and notified in writing (Art 43).' })
  extendAwardDeadline(@Args('input') input: ExtendAwardDeadlineInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ExtendAwardDeadline', input, { days: input.days, approvedBy: input.approvedBy, noticeServed: input.noticeServed }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'A mediation statement the parties signed for (Art 42).' })
  issueArbitralMediationStatement(@Args('input') input: IssueArbitralMediationStatementInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('IssueArbitralMediationStatement', input, { terms: input.terms, partiesSigned: input.partiesSigned }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Withdrawn after a settlement (Art 41).' })
  withdrawArbitration(@Args('input') input: WithdrawArbitrationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('WithdrawArbitration', input, { settlement: input.settlement }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'A final (Art 47) or non-final award; opens the windows to sue (Arts 48, 50) and to set aside (Art 49).' })
  issueAward(@Args('input') input: IssueAwardInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step(
      'IssueAward',
      input,
      {
        kind: input.kind,
        summary: input.summary,
        awardedAmount: input.awardedAmount,
        servedAt: input.servedAt ?? null,
        localMonthlyMinimumWage: input.localMonthlyMinimumWage ?? null,
      },
      p,
      req,
    );
  }

  @Mutation(() => MutationResult, { description: 'What the deadline scheduler sends when a challenge window is due (a non-final award then takes effect, Art 50).' })
  lapseChallengeWindow(@Args('input') input: LapseChallengeWindowInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('LapseChallengeWindow', input, { window: input.window }, p, req);
  }

  @Mutation(() => MutationResult)
  fileLawsuit(@Args('input') input: FileLawsuitInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('FileLawsuit', input, { party: input.party, court: input.court }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'The employer applies to the intermediate court within 30 days (Art 49).' })
  applyToSetAsideAward(@Args('input') input: CourtInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ApplyToSetAsideAward', input, { court: input.court }, p, req);
  }

  @Mutation(() => MutationResult)
  recordSetAsideRuling(@Args('input') input: RecordSetAsideRulingInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('RecordSetAsideRuling', input, { setAside: input.setAside }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Enforcement of an effective award or mediation statement (Art 51).' })
  applyForEnforcement(@Args('input') input: CourtInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ApplyForEnforcement', input, { court: input.court }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Decided within 7 days (法律援助法 Art 43).' })
  applyForLegalAid(@Args('input') input: ApplyForLegalAidInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ApplyForLegalAid', input, { aidOffice: input.aidOffice }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Granted: a lawyer within 3 days; refused: written reasons.' })
  decideLegalAid(@Args('input') input: DecideLegalAidInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('DecideLegalAid', input, { granted: input.granted, reasons: input.reasons ?? null }, p, req);
  }

  @Mutation(() => MutationResult)
  assignLegalAidLawyer(@Args('input') input: AssignLegalAidLawyerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('AssignLegalAidLawyer', input, { lawyerName: input.lawyerName, lawFirm: input.lawFirm }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Closes with an outcome the case has reached; its clocks stop.' })
  closeLaborDispute(@Args('input') input: CloseLaborDisputeInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('CloseDispute', input, { outcome: input.outcome, note: input.note ?? null }, p, req);
  }

  @Mutation(() => MutationResult, { description: 'Reopens a closed dispute (a new event; the closing stays in the history).' })
  reopenLaborDispute(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.step('ReopenDispute', input, { reason: input.reason }, p, req);
  }
}

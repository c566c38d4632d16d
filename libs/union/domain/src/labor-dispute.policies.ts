import type { DeadlinePolicy } from '@gongzhi/deadlines-domain';

/** Policy ids of the labor-dispute clocks; the clock ids inside a dispute are the part after the last dot. */
export const LaborPolicy = {
  limitation: 'union.labor-dispute.limitation',
  mediationWindow: 'union.labor-dispute.mediation-window',
  agreementPerformance: 'union.labor-dispute.agreement-performance',
  arbitrationAcceptance: 'union.labor-dispute.arbitration-acceptance',
  award: 'union.labor-dispute.award',
  suitWindow: 'union.labor-dispute.suit-window',
  setAsideWindow: 'union.labor-dispute.set-aside-window',
  postSetAsideSuitWindow: 'union.labor-dispute.post-set-aside-suit-window',
  legalAidDecision: 'union.labor-dispute.legal-aid-decision',
  legalAidAssignment: 'union.labor-dispute.legal-aid-assignment',
} as const;
export type LaborPolicyId = (typeof LaborPolicy)[keyof typeof LaborPolicy];

export const LaborClock = {
  limitation: 'limitation',
  mediationWindow: 'mediation-window',
  agreementPerformance: 'agreement-performance',
  arbitrationAcceptance: 'arbitration-acceptance',
  award: 'award',
  suitWindow: 'suit-window',
  setAsideWindow: 'set-aside-window',
  postSetAsideSuitWindow: 'post-set-aside-suit-window',
  legalAidDecision: 'legal-aid-decision',
  legalAidAssignment: 'legal-aid-assignment',
} as const;
export type LaborClockId = (typeof LaborClock)[keyof typeof LaborClock];

/** The day the 勞動爭議調解仲裁法 took effect: version 1 of every national rule applies from then. */
const LAW_IN_FORCE = '2008-05-01T00:00:00.000+08:00';
const LEGAL_AID_LAW_IN_FORCE = '2022-01-01T00:00:00.000+08:00';
const LDMAL = '勞動爭議調解仲裁法 (2007)';

/**
 * The national rules, version 1. They seed the policy table; a local rule or a correction is a
 * new version published into the table, not a change here. Calendar days throughout: the law
 * says 日, and leaves out the first day (民事訴訟法 Art 85 by analogy).
 */
export const NATIONAL_LABOR_DISPUTE_POLICIES: readonly DeadlinePolicy[] = [
  {
    policyId: LaborPolicy.limitation,
    version: 1,
    title: '仲裁時效 one year from when the right was known infringed (365 days: a leap day is not added)',
    source: `${LDMAL} Art 27`,
    length: 365,
    unit: 'd',
    expiry: 'lapse',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.mediationWindow,
    version: 1,
    title: 'Mediation ends 15 days after the application is accepted without an agreement',
    source: `${LDMAL} Art 14 ¶3; 企業勞動爭議協商調解規定 (人社部令第17號) (verify article)`,
    length: 15,
    unit: 'd',
    expiry: 'lapse',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.agreementPerformance,
    version: 1,
    title: 'The mediation agreement is performed within the term the parties agreed',
    source: `${LDMAL} Art 15`,
    length: 0,
    unit: 'd',
    expiry: 'overdue',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.arbitrationAcceptance,
    version: 1,
    title: 'The commission decides on acceptance within 5 days of receiving the application',
    source: `${LDMAL} Art 29`,
    length: 5,
    unit: 'd',
    expiry: 'overdue',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.award,
    version: 1,
    title: 'The award is made within 45 days of acceptance; once extendable by at most 15 days with the chair’s approval',
    source: `${LDMAL} Art 43`,
    length: 45,
    unit: 'd',
    expiry: 'overdue',
    extension: { maxTimes: 1, maxLength: 15, unit: 'd', requiresApproval: true },
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.suitWindow,
    version: 1,
    title: 'A party may sue within 15 days of receiving the award; a non-final award takes effect when no one did',
    source: `${LDMAL} Arts 48, 50`,
    length: 15,
    unit: 'd',
    expiry: 'lapse',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.setAsideWindow,
    version: 1,
    title: 'The employer may apply to the intermediate court to set a final award aside within 30 days of receiving it',
    source: `${LDMAL} Art 49 ¶1`,
    length: 30,
    unit: 'd',
    expiry: 'lapse',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.postSetAsideSuitWindow,
    version: 1,
    title: 'After a final award is set aside, a party may sue within 15 days of receiving the ruling',
    source: `${LDMAL} Art 49 ¶2`,
    length: 15,
    unit: 'd',
    expiry: 'lapse',
    extension: null,
    rollForward: false,
    effectiveFrom: LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.legalAidDecision,
    version: 1,
    title: 'The legal aid office decides within 7 days of the application',
    source: '法律援助法 (2021) Art 43',
    length: 7,
    unit: 'd',
    expiry: 'overdue',
    extension: null,
    rollForward: false,
    effectiveFrom: LEGAL_AID_LAW_IN_FORCE,
  },
  {
    policyId: LaborPolicy.legalAidAssignment,
    version: 1,
    title: 'Legal aid staff are assigned within 3 days of the decision to grant aid',
    source: '法律援助法 (2021) Art 43',
    length: 3,
    unit: 'd',
    expiry: 'overdue',
    extension: null,
    rollForward: false,
    effectiveFrom: LEGAL_AID_LAW_IN_FORCE,
  },
];

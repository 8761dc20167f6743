/**
 * The domain tests' builders of held meetings' answers. `answered(meetingId, answers)` gives members
 * m0… who attended a meeting and answered its evaluation in order; a test adds its own absences.
 */
import type { Attendance } from '../../src/attendance.js';
import type { Evaluation, EvaluationScore, GiveGetBalance } from '../../src/evaluation.js';

/** One member's evaluation answers, in the order of the form. */
export type Answer = [
  benefit: number,
  energy: number,
  purposeFit: number,
  relations: number,
  giveGet: number,
];

/**
 * Members m0… attended meeting `meetingId` and each answered in order, with no comment. The arrays
 * are fresh, so a test may push more attendance (silent members, absences) onto them.
 */
export function answered(
  meetingId: string,
  answers: readonly Answer[],
): { attendance: Attendance[]; evaluations: Evaluation[] } {
  const attendance: Attendance[] = [];
  const evaluations: Evaluation[] = answers.map(([benefit, energy, purposeFit, relations, giveGet], i) => {
    attendance.push({ memberId: `m${i}`, status: 'attended' });
    return {
      meetingId,
      memberId: `m${i}`,
      benefit: benefit as EvaluationScore,
      energy: energy as EvaluationScore,
      purposeFit: purposeFit as EvaluationScore,
      relations: relations as EvaluationScore,
      giveGet: giveGet as GiveGetBalance,
      comment: null,
    };
  });
  return { attendance, evaluations };
}

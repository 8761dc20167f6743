/**
 * "Is a network for me?" (the seed's step 1, product rules): the questionnaire and the assessment
 * of one leader's answers. Stateless: the domain's `assessReadiness` on the answers, nothing stored,
 * so an HR platform can show it before a leader is created and then prefill the leader's profile.
 */
import {
  assessReadiness,
  parseReadinessAnswers,
  profileFieldsFromReadiness,
  READINESS_QUESTIONS,
  type ReadinessAssessment,
  type ReadinessQuestion,
} from '@sparring/domain';
import { validationProblem } from '../errors/problem.js';

/** The questionnaire, in the order to ask it, with Danish and English prompts and option labels. */
export function readinessQuestions() {
  return READINESS_QUESTIONS.map(toQuestionResource);
}

const toQuestionResource = (q: ReadinessQuestion) => ({
  id: q.id,
  kind: q.kind,
  required: q.required,
  prompt: { ...q.prompt },
  help: q.help ? { ...q.help } : null,
  options: q.options.map((o) => ({ value: o.value, label: { ...o.label } })),
});

const toAssessmentResource = (a: ReadinessAssessment) => ({
  verdict: a.verdict,
  motivationProfile: { ...a.motivationProfile, motivations: [...a.motivationProfile.motivations] },
  suggestedNetwork: {
    focus: [...a.suggestedNetwork.focus],
    cadenceMonths: a.suggestedNetwork.cadenceMonths,
    timeSlots: [...a.suggestedNetwork.timeSlots],
    formats: [...a.suggestedNetwork.formats],
    composition: { ...a.suggestedNetwork.composition },
  },
  guidance: a.guidance.map((g) => ({ code: g.code, text: { ...g.text } })),
});

/**
 * Validates the answers with the domain and returns its assessment (verdict, motivation profile,
 * the network that fits, guidance) and the leader-profile fields the answers fill in.
 */
export function assessAnswers(input: unknown) {
  const answers = parseReadinessAnswers(input);
  if (!answers.ok) throw validationProblem(answers.error.issues);
  return {
    assessment: toAssessmentResource(assessReadiness(answers.value)),
    profileFields: profileFieldsFromReadiness(answers.value),
  };
}

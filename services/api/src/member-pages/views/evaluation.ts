/**
 * The evaluation: five questions as radio groups (fieldset and legend each), the private comment,
 * and when the window closes. About 30 seconds on a phone. Editable until the window closes.
 */
import {
  EVALUATION_QUESTION_TEXTS,
  EVALUATION_SCORES,
  GIVE_GET_BALANCED_TEXT,
  GIVE_GET_BALANCES,
} from '@sparring/domain';
import type { MeetingRow } from '../../db/tables/meeting.table.js';
import type { NetworkRow } from '../../db/tables/network.table.js';
import { html } from '../html.js';
import { formatDateTime, type Lang, say, tr } from '../i18n.js';
import { alert, layout, notice, type PageContext, postForm } from '../layout.js';
import { errorText, type FieldErrors } from './fields.js';

export const QUESTIONS = ['benefit', 'energy', 'purposeFit', 'relations', 'giveGet'] as const;
export type Question = (typeof QUESTIONS)[number];

/** The values of a form: what was stored, or what the member just sent. */
export type EvaluationValues = Partial<Record<Question, number>> & { comment?: string | null };

/** A give/get balance as written: +2, +1, 0, −1, −2 (a true minus sign). */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

function question(lang: Lang, name: Question, values: EvaluationValues, errors: FieldErrors) {
  const q = EVALUATION_QUESTION_TEXTS[name];
  const scale: readonly number[] = name === 'giveGet' ? GIVE_GET_BALANCES : EVALUATION_SCORES;
  const first = scale[0]!;
  const last = scale[scale.length - 1]!;
  const endName = (v: number) =>
    v === first
      ? say(lang, q.low)
      : v === last
        ? say(lang, q.high)
        : name === 'giveGet' && v === 0
          ? say(lang, GIVE_GET_BALANCED_TEXT)
          : '';
  const options = scale.map((v) => {
    const end = endName(v);
    return html`<label><input type="radio" name="${name}" value="${v}" required${values[name] === v ? html` checked` : ''}><span>${name === 'giveGet' ? signed(v) : v}${end ? html`<span class="visually-hidden"> – ${end}</span>` : ''}</span></label>`;
  });
  const hasError = errors[name] !== undefined;
  return html`<fieldset${hasError ? html` class="invalid" aria-describedby="${name}-error"` : ''}>
    <legend>${say(lang, q.question)}</legend>
    ${errorText(name, errors)}
    <div class="scale">${options}</div>
    <div class="ends" aria-hidden="true"><span>${say(lang, q.low)}</span><span>${say(lang, q.high)}</span></div>
  </fieldset>`;
}

export function evaluationPage(
  ctx: PageContext,
  p: {
    meeting: MeetingRow;
    network: NetworkRow;
    closesAt: Date;
    open: boolean;
    values: EvaluationValues;
    errors?: FieldErrors;
    saved?: boolean;
    refusal?: string | null;
  },
) {
  const { lang } = ctx;
  const errors = p.errors ?? {};
  const tz = p.network.time_zone;
  const date = formatDateTime(lang, p.closesAt, tz);
  const heading = html`<h1>${tr(lang, 'evaluationTitle')}</h1>
    <p><strong>${p.network.name}</strong> · <time datetime="${p.meeting.starts_at.toISOString()}">${formatDateTime(lang, p.meeting.starts_at, tz)}</time></p>`;
  if (!p.open) {
    return layout(
      ctx,
      tr(lang, 'evaluationTitle'),
      html`${heading}${notice(p.saved ? tr(lang, 'answersSaved') : null)}<p class="warning">${tr(lang, 'evaluationClosed', { date })}</p>
        <p><a href="/m/me">${tr(lang, 'myAnswersTitle')}</a></p>`,
      'networks',
    );
  }
  const hasErrors = Object.keys(errors).length > 0;
  const commentError = errors.comment;
  const form = postForm(
    ctx,
    `/m/meetings/${p.meeting.id}/evaluation`,
    html`${QUESTIONS.map((name) => question(lang, name, p.values, errors))}
      <div class="field">
        <label for="comment">${tr(lang, 'commentLabel')}</label>
        <p class="hint" id="comment-hint">${tr(lang, 'commentHint')}</p>
        ${errorText('comment', errors)}
        <textarea id="comment" name="comment" rows="3" maxlength="2000" aria-describedby="comment-hint${commentError ? ' comment-error' : ''}"${commentError ? html` aria-invalid="true"` : ''}>${p.values.comment ?? ''}</textarea>
      </div>
      <button type="submit">${tr(lang, 'saveAnswers')}</button>`,
  );
  return layout(
    ctx,
    tr(lang, 'evaluationTitle'),
    html`${heading}
      ${notice(p.saved ? tr(lang, 'answersSaved') : null)}
      ${alert(p.refusal ?? (hasErrors ? tr(lang, 'formHasErrors') : null))}
      <p>${tr(lang, 'evaluationIntro')}</p>
      <p class="muted">${tr(lang, 'evaluationClosesAt', { date })}</p>
      ${form}`,
    'networks',
  );
}

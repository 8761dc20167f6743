/**
 * "Mine": the member's own answers per meeting, their private signals with the domain's guidance,
 * their consent per network, who acted for them (admin-minted tokens and what was done with them),
 * and notices. Private data: the page exists only in the member's own session.
 */
import { EVALUATION_QUESTION_TEXTS, withdrawalRiskGuidance } from '@sparring/domain';
import { type TokenActionKind, tokenActionKind } from '../../members/token-audit.js';
import { html } from '../html.js';
import { formatDateTime, type Lang, say, tr } from '../i18n.js';
import { layout, notice, type PageContext, postForm } from '../layout.js';
import type { MineOverview } from '../member-pages.service.js';
import { QUESTIONS, signed } from './evaluation.js';

const UTC = 'UTC';

function answers(lang: Lang, m: MineOverview, now: Date) {
  if (m.answers.length === 0) return html`<p class="muted">${tr(lang, 'noAnswers')}</p>`;
  return html`<ul class="cards">${m.answers.map(
    (a) => html`<li class="card">
      <h3>${a.network.name} · <time datetime="${a.meetingStartsAt.toISOString()}">${formatDateTime(lang, a.meetingStartsAt, a.network.timeZone)}</time></h3>
      <dl class="answers">${QUESTIONS.map(
        (q) =>
          html`<dt>${say(lang, EVALUATION_QUESTION_TEXTS[q].question)}</dt><dd>${q === 'giveGet' ? signed(a.evaluation[q]) : a.evaluation[q]}</dd>`,
      )}</dl>
      ${a.evaluation.comment ? html`<h4>${tr(lang, 'comment')}</h4><p class="comment">${a.evaluation.comment}</p>` : ''}
      ${
        now < a.editableUntil
          ? html`<p><a href="/m/meetings/${a.evaluation.meetingId}/evaluation">${tr(lang, 'editAnswers')}</a> <span class="muted">(${tr(lang, 'editUntil', { date: formatDateTime(lang, a.editableUntil, a.network.timeZone) })})</span></p>`
          : ''
      }
    </li>`,
  )}</ul>`;
}

function signals(lang: Lang, m: MineOverview) {
  const any = m.signals.some((s) => s.signals.length > 0);
  if (!any) return html`<p class="muted">${tr(lang, 'noSignals')}</p>`;
  return m.signals
    .filter((s) => s.signals.length > 0)
    .map(
      (s) =>
        html`<div class="card"><h3>${s.network.name}</h3>${s.signals.map((sig) => signalGuidance(lang, sig, 'member'))}</div>`,
    );
}

/** A member signal as its reader reads it. */
type SignalJson = MineOverview['signals'][number]['signals'][number];

/**
 * A signal's title and guidance. At risk of withdrawing: the domain's guidance for the reader
 * (`withdrawalRiskGuidance`), one action per reason as a list: what the member (or, shared, the
 * facilitator) can do. Shared with the network page's facilitator section.
 */
export function signalGuidance(lang: Lang, sig: SignalJson, reader: 'member' | 'facilitator') {
  if (sig.code !== 'member_at_risk_of_withdrawing')
    return html`<h4>${say(lang, sig.title)}</h4><p>${say(lang, sig.guidance)}</p>`;
  const g = withdrawalRiskGuidance(sig.evidence, reader);
  return html`<h4>${say(lang, sig.title)}</h4><p>${say(lang, g.lead)}</p>
    <ul class="actions-list">${g.actions.map((a) => html`<li>${say(lang, a)}</li>`)}</ul>
    <p>${say(lang, g.close)}</p>`;
}

function consents(ctx: PageContext, m: MineOverview) {
  const { lang } = ctx;
  return m.consents.map((c) =>
    postForm(
      ctx,
      '/m/me/consent',
      html`<input type="hidden" name="network" value="${c.network.id}">
        <fieldset>
          <legend>${tr(lang, 'consentLegend', { network: c.network.name })}</legend>
          <label class="choice"><input type="radio" name="share" value="yes"${c.consent ? html` checked` : ''}> ${tr(lang, 'consentOn')}</label>
          <label class="choice"><input type="radio" name="share" value="no"${c.consent ? '' : html` checked`}> ${tr(lang, 'consentOff')}</label>
          <button type="submit" class="secondary">${tr(lang, 'consentSave')}</button>
        </fieldset>`,
    ),
  );
}

/** The member text for each kind of action a token took. */
const ACTION_TEXT = {
  evaluation_answered: 'actionEvaluationAnswered',
  attendance_answered: 'actionAttendanceAnswered',
  charter_accepted: 'actionCharterAccepted',
  consent_changed: 'actionConsentChanged',
  agenda_changed: 'actionAgendaChanged',
  other: 'actionOther',
} as const satisfies Record<TokenActionKind, string>;

function whoActed(lang: Lang, m: MineOverview) {
  if (m.tokens.length === 0) return html`<p class="muted">${tr(lang, 'noTokens')}</p>`;
  return html`<ul class="cards">${m.tokens.map(
    (t) => html`<li class="card">
      <p>${tr(lang, 'tokenMinted', { date: formatDateTime(lang, t.mintedAt, UTC) })},
        ${t.revokedAt ? tr(lang, 'tokenRevoked', { date: formatDateTime(lang, t.revokedAt, UTC) }) : tr(lang, 'tokenExpires', { date: formatDateTime(lang, t.expiresAt, UTC) })}</p>
      ${
        t.actions.length === 0
          ? html`<p class="muted">${tr(lang, 'tokenUnused')}</p>`
          : html`<ul>${t.actions.map((a) => html`<li><time datetime="${a.at.toISOString()}">${formatDateTime(lang, a.at, UTC)}</time>: ${tr(lang, ACTION_TEXT[tokenActionKind(a.action)])} <code class="muted">${a.action}</code></li>`)}</ul>`
      }
    </li>`,
  )}</ul>`;
}

function notices(lang: Lang, m: MineOverview) {
  if (m.notices.length === 0) return html`<p class="muted">${tr(lang, 'noNotices')}</p>`;
  return html`<ul>${m.notices.map(
    (n) =>
      html`<li><time datetime="${n.createdAt.toISOString()}">${formatDateTime(lang, n.createdAt, UTC)}</time>: ${tr(lang, 'noticeEmailChanged', { old: n.oldEmail, new: n.newEmail })}</li>`,
  )}</ul>`;
}

export function minePage(ctx: PageContext, m: MineOverview, done: string | null) {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'mineTitle'),
    html`<h1>${tr(lang, 'mineTitle')}</h1>
      ${notice(done)}
      <p class="muted">${tr(lang, 'confidentialRoom')}</p>
      <section aria-labelledby="answers-h"><h2 id="answers-h">${tr(lang, 'myAnswersTitle')}</h2>${answers(lang, m, new Date())}</section>
      <section aria-labelledby="signals-h"><h2 id="signals-h">${tr(lang, 'mySignalsTitle')}</h2>
        <p>${tr(lang, 'mySignalsIntro')}</p>${signals(lang, m)}</section>
      <section aria-labelledby="consent-h"><h2 id="consent-h">${tr(lang, 'consentTitle')}</h2>
        <p>${tr(lang, 'consentIntro')}</p>${consents(ctx, m)}</section>
      <section aria-labelledby="acted-h"><h2 id="acted-h">${tr(lang, 'whoActedTitle')}</h2>
        <p>${tr(lang, 'whoActedIntro')}</p>${whoActed(lang, m)}</section>
      <section aria-labelledby="notices-h"><h2 id="notices-h">${tr(lang, 'noticesTitle')}</h2>${notices(lang, m)}</section>`,
    'mine',
  );
}

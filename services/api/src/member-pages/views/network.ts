/**
 * One network: the charter (kontrakt) with an accept button when a version waits for the member,
 * fellow members (the member view: name, organisation, role), and the next meetings with place or
 * link, role holders, agenda, and the member's own attendance with confirm / afbud.
 */
import {
  AGENDA_ITEM_KIND_LABELS,
  FOCUS_AREA_LABELS,
  type GroundRule,
  LIFECYCLE_STATUS_LABELS,
  MEETING_ROLE_LABELS,
  type RoleHolder,
} from '@sparring/domain';
import { html } from '../html.js';
import { type Lang, say, tr } from '../i18n.js';
import { layout, notice, type PageContext, postForm } from '../layout.js';
import type { NetworkDetail } from '../member-pages.service.js';
import { signalGuidance } from './mine.js';
import { venueText, when } from './networks.js';

const ROLE_TEXT = {
  member: 'roleMember',
  facilitator: 'roleFacilitator',
  former_member: 'roleFormerMember',
} as const;

function groundRule(lang: Lang, rule: GroundRule) {
  switch (rule.kind) {
    case 'confidentiality':
      return say(lang, rule.text);
    case 'cancellation_notice':
      return tr(lang, 'cancellationNoticeRule', { hours: rule.hours });
    case 'custom':
      return rule.text;
  }
}

function charterSection(ctx: PageContext, d: NetworkDetail) {
  const { lang } = ctx;
  const c = d.charter.charter;
  if (c === null)
    return html`<section id="charter" aria-labelledby="charter-h"><h2 id="charter-h">${tr(lang, 'charterTitle')}</h2><p>${tr(lang, 'noCharter')}</p></section>`;
  const waiting = d.active && !d.charterAcceptedByMe;
  const accept = waiting
    ? html`<p class="warning">${tr(lang, 'charterAwaitingYou')}</p>${postForm(
        ctx,
        `/m/networks/${d.network.id}/charter/accept`,
        html`<input type="hidden" name="version" value="${c.version}"><button type="submit">${tr(lang, 'acceptCharter')}</button>`,
      )}`
    : d.charterAcceptedByMe
      ? html`<p class="muted">${tr(lang, 'charterAcceptedByYou')}</p>`
      : '';
  return html`<section id="charter" aria-labelledby="charter-h" class="card">
    <h2 id="charter-h">${tr(lang, 'charterTitle')}</h2>
    <p class="muted">${tr(lang, 'charterVersion', { version: c.version })}</p>
    <h3>${tr(lang, 'purpose')}</h3><p>${c.purpose}</p>
    <h3>${tr(lang, 'goals')}</h3>
    <ul>${c.goals.map((g) => html`<li><strong>${say(lang, FOCUS_AREA_LABELS[g.category])}</strong>: ${g.description}</li>`)}</ul>
    <h3>${tr(lang, 'groundRules')}</h3>
    <ul>${(c.groundRules as readonly GroundRule[]).map((r) => html`<li>${groundRule(lang, r)}</li>`)}</ul>
    ${accept}
  </section>`;
}

function holderName(lang: Lang, d: NetworkDetail, holder: RoleHolder | null) {
  if (holder === null) return html`<span class="muted">${tr(lang, 'roleOpen')}</span>`;
  return holder.kind === 'external' ? holder.name : (d.names.get(holder.memberId) ?? '');
}

function attendanceControls(ctx: PageContext, d: NetworkDetail, u: NetworkDetail['upcoming'][number]) {
  const { lang } = ctx;
  const status = u.myAttendance?.status ?? 'expected';
  const label =
    status === 'cancelled'
      ? tr(lang, u.myAttendance?.late ? 'attendanceCancelledLate' : 'attendanceCancelled')
      : status === 'confirmed'
        ? tr(lang, 'attendanceConfirmed')
        : tr(lang, 'attendanceExpected');
  const confirm = (text: string) =>
    postForm(
      ctx,
      `/m/meetings/${u.meeting.id}/confirm`,
      html`<button type="submit" class="secondary">${text}</button>`,
      'inline',
    );
  const buttons = !d.active
    ? ''
    : status === 'cancelled'
      ? confirm(tr(lang, 'undoCancellation'))
      : html`${status === 'confirmed' ? '' : confirm(tr(lang, 'confirmAttendance'))}<a class="button secondary" href="/m/meetings/${u.meeting.id}/afbud">${tr(lang, 'giveAfbud')}</a>`;
  return html`<p>${tr(lang, 'yourAttendance')}: <strong>${label}</strong></p><div class="actions">${buttons}</div>`;
}

function meetingCard(ctx: PageContext, d: NetworkDetail, u: NetworkDetail['upcoming'][number]) {
  const { lang } = ctx;
  const m = u.meeting;
  return html`<li class="card" id="meeting-${m.id}">
    <h3>${when(lang, m, d.network.time_zone)}</h3>
    <dl class="facts">${venueText(lang, m.venue)}</dl>
    ${
      m.roles.length === 0
        ? ''
        : html`<h4>${tr(lang, 'rolesTitle')}</h4>
    <dl class="facts roles">${m.roles.map((r) => html`<dt>${say(lang, MEETING_ROLE_LABELS[r.role])}</dt><dd>${holderName(lang, d, r.holder)}</dd>`)}</dl>`
    }
    <h4>${tr(lang, 'agendaTitle')}</h4>
    ${
      u.agenda.length === 0
        ? html`<p class="muted">${tr(lang, 'noAgenda')}</p>`
        : html`<ol>${u.agenda.map((a) => html`<li>${a.title} <span class="muted">(${say(lang, AGENDA_ITEM_KIND_LABELS[a.kind])}, ${d.names.get(a.ownerId) ?? ''})</span></li>`)}</ol>`
    }
    ${attendanceControls(ctx, d, u)}
  </li>`;
}

/**
 * For the facilitator only: the signals members shared with them (tenant policy and the member's
 * consent), each under the member's name, with the facilitator's guidance. Absent for everyone else.
 */
function sharedSignalsSection(lang: Lang, d: NetworkDetail) {
  if (d.sharedSignals.length === 0) return '';
  return html`<section id="shared-signals" aria-labelledby="shared-h">
    <h2 id="shared-h">${tr(lang, 'sharedSignalsTitle')}</h2>
    <p>${tr(lang, 'sharedSignalsIntro')}</p>
    ${d.sharedSignals.map((s) => html`<div class="card"><h3>${s.name}</h3>${signalGuidance(lang, s.signal, 'facilitator')}</div>`)}
  </section>`;
}

export function networkPage(ctx: PageContext, d: NetworkDetail, done: string | null) {
  const { lang } = ctx;
  return layout(
    ctx,
    d.network.name,
    html`<h1>${d.network.name}</h1>
      <p>${tr(lang, 'statusLabel')}: <span class="badge">${say(lang, LIFECYCLE_STATUS_LABELS[d.network.status])}</span>
        · <a href="/m/networks/${d.network.id}/health">${tr(lang, 'healthLink')}</a></p>
      ${notice(done)}
      ${charterSection(ctx, d)}
      ${sharedSignalsSection(lang, d)}
      <section aria-labelledby="meetings-h">
        <h2 id="meetings-h">${tr(lang, 'meetingsTitle')}</h2>
        ${
          d.upcoming.length === 0
            ? html`<p class="muted">${tr(lang, 'noMeetings')}</p>`
            : html`<ul class="cards">${d.upcoming.map((u) => meetingCard(ctx, d, u))}</ul>`
        }
      </section>
      <section aria-labelledby="members-h">
        <h2 id="members-h">${tr(lang, 'membersTitle')}</h2>
        <ul class="card members">${d.members.map(
          (m) =>
            html`<li><strong>${m.name}</strong>${m.leaderId === ctx.leaderId ? html` (${tr(lang, 'you')})` : ''}<br><span class="muted">${m.organisation} · ${tr(lang, ROLE_TEXT[m.role])}</span></li>`,
        )}</ul>
      </section>`,
    'networks',
  );
}

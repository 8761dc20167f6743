/** "My networks": each network with its status, next meeting and what waits for the member. */
import { LIFECYCLE_STATUS_LABELS, type Venue } from '@sparring/domain';
import type { StoredMeeting } from '../../meetings/meeting.repository.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, type Lang, say, tr } from '../i18n.js';
import { layout, notice, type PageContext } from '../layout.js';
import type { NetworkOverview } from '../member-pages.service.js';

/** Where a meeting is: the place, the link, or both (a link is shown as a link, never followed for the member). */
export function venueText(lang: Lang, venue: Venue) {
  const place = venue.kind === 'online' ? '' : html`<dt>${tr(lang, 'place')}</dt><dd>${venue.place}</dd>`;
  const link =
    venue.kind === 'in_person'
      ? ''
      : html`<dt>${tr(lang, 'onlineLink')}</dt><dd>${
          /^https?:\/\//.test(venue.link)
            ? html`<a href="${venue.link}" rel="noopener noreferrer">${venue.link}</a>`
            : venue.link
        }</dd>`;
  return html`${place}${link}`;
}

export const when = (lang: Lang, m: StoredMeeting, timeZone: string) =>
  html`<time datetime="${m.startsAt.toISOString()}">${formatDateTime(lang, m.startsAt, timeZone)}</time>`;

function card(ctx: PageContext, o: NetworkOverview) {
  const { lang } = ctx;
  const { network } = o;
  const next = o.nextMeeting
    ? html`<dl class="facts"><dt>${tr(lang, 'nextMeeting')}</dt><dd>${when(lang, o.nextMeeting, network.time_zone)}</dd>${venueText(lang, o.nextMeeting.venue)}</dl>`
    : html`<p class="muted">${tr(lang, 'noNextMeeting')}</p>`;
  const evaluations =
    o.evaluationsWaiting.length > 0
      ? html`<ul class="plain">${o.evaluationsWaiting.map(
          (w) =>
            html`<li><p><span class="badge warn">${tr(lang, 'evaluationWaiting')}</span></p>
              <p><a class="button" href="/m/meetings/${w.meeting.id}/evaluation">${tr(lang, 'answerNow')}<span class="visually-hidden"> – ${tr(lang, 'meetingOn', { date: formatDateTime(lang, w.meeting.startsAt, network.time_zone) })}</span></a></p></li>`,
        )}</ul>`
      : html`<p class="muted">${tr(lang, 'noEvaluationWaiting')}</p>`;
  return html`<li class="card">
    <h2><a href="/m/networks/${network.id}">${network.name}</a></h2>
    <p>${tr(lang, 'statusLabel')}: <span class="badge">${say(lang, LIFECYCLE_STATUS_LABELS[network.status])}</span></p>
    ${o.charterWaiting ? html`<p><a href="/m/networks/${network.id}#charter" class="badge warn">${tr(lang, 'charterWaiting')}</a></p>` : ''}
    ${next}
    ${evaluations}
  </li>`;
}

export function networksPage(
  ctx: PageContext,
  overview: readonly NetworkOverview[],
  done: string | null,
  calendar: SafeHtml | '' = '',
) {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'networksTitle'),
    html`<h1>${tr(lang, 'networksTitle')}</h1>
      ${notice(done)}
      ${
        overview.length === 0
          ? html`<p>${tr(lang, 'networksEmpty')}</p>`
          : html`<ul class="cards">${overview.map((o) => card(ctx, o))}</ul>`
      }
      ${calendar}`,
    'networks',
  );
}

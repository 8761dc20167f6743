/** The afbud step: says BEFORE the member confirms whether the afbud is late under the charter. */

import type { NetworkRow } from '../../db/tables/network.table.js';
import type { StoredMeeting } from '../../meetings/meeting.repository.js';
import { html } from '../html.js';
import { tr } from '../i18n.js';
import { layout, type PageContext, postForm } from '../layout.js';
import { venueText, when } from './networks.js';

export function afbudPage(
  ctx: PageContext,
  p: { meeting: StoredMeeting; network: NetworkRow; noticeHours: number; late: boolean },
) {
  const { lang } = ctx;
  const hours = { hours: p.noticeHours };
  return layout(
    ctx,
    tr(lang, 'afbudTitle'),
    html`<h1>${tr(lang, 'afbudTitle')}</h1>
      <div class="card">
        <h2>${p.network.name}</h2>
        <dl class="facts"><dt>${tr(lang, 'meetingLabel')}</dt><dd>${when(lang, p.meeting, p.network.time_zone)}</dd>${venueText(lang, p.meeting.venue)}</dl>
      </div>
      <p class="${p.late ? 'warning' : 'notice'}" id="afbud-lateness">${tr(lang, p.late ? 'afbudLate' : 'afbudOnTime', hours)}</p>
      <p>${tr(lang, 'afbudUndoHint')}</p>
      ${postForm(
        ctx,
        `/m/meetings/${p.meeting.id}/afbud`,
        html`<div class="actions"><button type="submit" aria-describedby="afbud-lateness">${tr(lang, 'afbudConfirm')}</button>
          <a class="button secondary" href="/m/networks/${p.network.id}#meeting-${p.meeting.id}">${tr(lang, 'afbudKeep')}</a></div>`,
      )}`,
    'networks',
  );
}

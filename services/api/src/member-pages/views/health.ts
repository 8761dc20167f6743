/**
 * Network health for members: the released aggregates per meeting (the k rule decides what is
 * released) and the trend chart, with the rule in one line.
 */
import { HEALTH_BAND_LABELS, TREND_DIRECTION_LABELS } from '@sparring/domain';
import { html } from '../html.js';
import { formatDate, formatNumber, say, tr } from '../i18n.js';
import { layout, type PageContext } from '../layout.js';
import type { HealthOverview } from '../member-pages.service.js';
import { trendChart } from './chart.js';

export function healthPage(ctx: PageContext, h: HealthOverview) {
  const { lang } = ctx;
  const tz = h.network.time_zone;
  const k = h.network.min_responses;
  const rows = h.meetings.map(({ meeting, summary }) => {
    const date = html`<th scope="row"><time datetime="${meeting.startsAt.toISOString()}">${formatDate(lang, meeting.startsAt, tz)}</time></th>`;
    if (!summary?.released)
      return html`<tr>${date}<td colspan="3" class="muted">${tr(lang, 'withheld')}</td></tr>`;
    const v = summary.value;
    return html`<tr>${date}<td class="num">${tr(lang, 'respondents', { n: v.responses })}</td><td class="num">${formatNumber(lang, v.benefit.mean)}</td><td class="num">${formatNumber(lang, v.energy.mean)}</td></tr>`;
  });
  return layout(
    ctx,
    `${tr(lang, 'healthTitle')} · ${h.network.name}`,
    html`<h1>${tr(lang, 'healthTitle')}</h1>
      <p><a href="/m/networks/${h.network.id}">${h.network.name}</a></p>
      <p class="notice">${tr(lang, 'kRule', { k })}</p>
      <div class="card">
        <dl class="facts">
          <dt>${tr(lang, 'statusLabel')}</dt><dd><span class="badge">${say(lang, HEALTH_BAND_LABELS[h.health.band])}</span></dd>
          <dt>${tr(lang, 'healthIndex')}</dt><dd>${h.health.index === null ? '–' : formatNumber(lang, h.health.index, 0)}</dd>
          <dt>${tr(lang, 'healthTrend')}</dt><dd>${say(lang, TREND_DIRECTION_LABELS[h.health.trend.direction])}</dd>
        </dl>
        ${trendChart(lang, h.health.trend.meetings, (d) => formatDate(lang, d, tz))}
      </div>
      <h2>${tr(lang, 'releasedMeetings')}</h2>
      ${
        h.meetings.length === 0
          ? html`<p class="muted">${tr(lang, 'noReleasedResults')}</p>`
          : html`<div class="card"><table>
              <thead><tr><th scope="col">${tr(lang, 'meetingLabel')}</th><th scope="col" class="num">${tr(lang, 'respondentsHeading')}</th><th scope="col" class="num">${tr(lang, 'benefitShort')}</th><th scope="col" class="num">${tr(lang, 'energyShort')}</th></tr></thead>
              <tbody>${rows}</tbody></table></div>`
      }`,
    'networks',
  );
}

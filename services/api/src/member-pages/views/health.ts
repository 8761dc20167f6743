/**
 * Network health for members: the released results (each release once: the meetings it pools, the
 * number of answers, the means), what is not released yet and why, and the trend chart, with the
 * k rule in one line.
 */
import { HEALTH_BAND_LABELS, TREND_DIRECTION_LABELS } from '@sparring/domain';
import { html } from '../html.js';
import { formatDate, formatDateTime, formatNumber, say, tr } from '../i18n.js';
import { layout, type PageContext } from '../layout.js';
import type { HealthOverview } from '../member-pages.service.js';
import { trendChart } from './chart.js';

export function healthPage(ctx: PageContext, h: HealthOverview) {
  const { lang } = ctx;
  const tz = h.network.time_zone;
  const k = h.network.min_responses;
  const dates = (ms: readonly { startsAt: Date }[]) =>
    ms.map(
      (m, i) =>
        html`${i > 0 ? ', ' : ''}<time datetime="${m.startsAt.toISOString()}">${formatDate(lang, m.startsAt, tz)}</time>`,
    );
  const released = h.releases.map(
    (r) =>
      html`<tr><th scope="row">${dates(r.meetings)}</th><td class="num">${r.value.responses}</td><td class="num">${formatNumber(lang, r.value.benefit.mean)}</td><td class="num">${formatNumber(lang, r.value.energy.mean)}</td></tr>`,
  );
  const withheld = h.withheld.map(
    (w) =>
      html`<li>${dates([w.meeting])}: ${
        w.reason === 'window_open' && w.closesAt
          ? tr(lang, 'resultsWindowOpen', { date: formatDateTime(lang, w.closesAt, tz) })
          : tr(lang, 'resultsPooling', { k: w.minimum })
      }</li>`,
  );
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
        h.releases.length === 0
          ? html`<p class="muted">${tr(lang, 'noReleasedResults')}</p>`
          : html`<div class="card"><table>
              <thead><tr><th scope="col">${tr(lang, 'meetingsLabel')}</th><th scope="col" class="num">${tr(lang, 'respondentsHeading')}</th><th scope="col" class="num">${tr(lang, 'benefitShort')}</th><th scope="col" class="num">${tr(lang, 'energyShort')}</th></tr></thead>
              <tbody>${released}</tbody></table></div>`
      }
      ${h.withheld.length > 0 ? html`<h2>${tr(lang, 'withheld')}</h2><ul>${withheld}</ul>` : ''}`,
    'networks',
  );
}

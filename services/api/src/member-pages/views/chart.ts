/**
 * The health trend as a small server-rendered SVG: the index (0–100) of each evaluated meeting,
 * oldest first, with the band floors as faint lines. No script, no inline style (the CSP allows
 * neither): classes styled by the page's stylesheet. The numbers are also in the description.
 */
import { HEALTH_BAND_FLOORS } from '@sparring/domain';
import { html } from '../html.js';
import { formatNumber, type Lang, tr } from '../i18n.js';

const W = 320;
const H = 160;
const PAD = { left: 30, right: 10, top: 10, bottom: 22 };

export function trendChart(
  lang: Lang,
  points: readonly { startsAt: string; index: number }[],
  label: (d: Date) => string,
) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH - (Math.max(0, Math.min(100, v)) * innerH) / 100;
  const r = (n: number) => Math.round(n * 10) / 10;
  const description = tr(lang, 'trendChartDescription', {
    points: points.map((p) => formatNumber(lang, p.index, 0)).join(', ') || '–',
  });
  const floors = Object.values(HEALTH_BAND_FLOORS);
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">
  <title id="chart-title">${tr(lang, 'trendChartTitle')}</title>
  <desc id="chart-desc">${description}</desc>
  ${[0, 50, 100].map((v) => html`<text class="label" x="${PAD.left - 6}" y="${r(y(v) + 4)}" text-anchor="end">${v}</text>`)}
  ${floors.map((v) => html`<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${r(y(v))}" y2="${r(y(v))}" stroke-dasharray="3 4"/>`)}
  <line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${r(y(0))}" y2="${r(y(0))}"/>
  ${points.length > 1 ? html`<polyline class="line" points="${points.map((p, i) => `${r(x(i))},${r(y(p.index))}`).join(' ')}"/>` : ''}
  ${points.map((p, i) => html`<circle class="dot" cx="${r(x(i))}" cy="${r(y(p.index))}" r="4"/>`)}
  ${points.map((p, i) =>
    i === 0 || i === points.length - 1
      ? html`<text class="label" x="${r(x(i))}" y="${H - 6}" text-anchor="${points.length === 1 ? 'middle' : i === 0 ? 'start' : 'end'}">${label(new Date(p.startsAt))}</text>`
      : '',
  )}
</svg>`;
}

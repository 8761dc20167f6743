/**
 * The member's own calendar feed: a section on "My networks" (get a link, or a new one, or stop
 * it) and the page that shows a new link once (webcal:// to subscribe, the https address to copy).
 */
import { DEFAULT_TIME_ZONE } from '@sparring/domain';
import { html } from '../html.js';
import { formatDate, tr } from '../i18n.js';
import { layout, type PageContext, postForm } from '../layout.js';

/** The section on "My networks"; `own` is the member's live feed, if any. */
export function calendarSection(ctx: PageContext, own: { createdAt: string } | null) {
  const { lang } = ctx;
  const get = postForm(
    ctx,
    '/m/calendar',
    html`<button type="submit"${own ? html` class="secondary"` : ''}>${tr(lang, own ? 'calendarNew' : 'calendarGet')}</button>`,
  );
  const stop = own
    ? postForm(
        ctx,
        '/m/calendar/stop',
        html`<button type="submit" class="secondary">${tr(lang, 'calendarStop')}</button>`,
      )
    : '';
  return html`<section class="card" aria-labelledby="calendar-title">
    <h2 id="calendar-title">${tr(lang, 'calendarTitle')}</h2>
    <p>${tr(lang, 'calendarIntro')}</p>
    ${own ? html`<p>${tr(lang, 'calendarHave', { date: formatDate(lang, new Date(own.createdAt), DEFAULT_TIME_ZONE) })}</p>` : ''}
    ${get}${stop}
  </section>`;
}

/** The new link, shown once. */
export function calendarLinkPage(ctx: PageContext, feed: { url: string; webcalUrl: string }) {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'calendarLinkTitle'),
    html`<h1>${tr(lang, 'calendarLinkTitle')}</h1>
      <p><a class="button" href="${feed.webcalUrl}">${tr(lang, 'calendarSubscribe')}</a></p>
      <p>${tr(lang, 'calendarCopy')}</p>
      <p><label for="calendar-url">${tr(lang, 'calendarAddress')}</label>
        <input id="calendar-url" type="text" readonly value="${feed.url}" autocomplete="off" spellcheck="false"></p>
      <p class="notice">${tr(lang, 'calendarShownOnce')}</p>
      <p><a href="/m/">${tr(lang, 'back')}</a></p>`,
    'networks',
  );
}

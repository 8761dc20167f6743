/** Pages for what went wrong: not found (also for another member's ids), and any other refusal. */
import { html } from '../html.js';
import { tr } from '../i18n.js';
import { layout, type PageContext } from '../layout.js';

export function notFoundPage(ctx: PageContext) {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'notFoundTitle'),
    html`<h1>${tr(lang, 'notFoundTitle')}</h1><p>${tr(lang, 'notFoundBody')}</p>
      <p><a href="/m/">${tr(lang, 'navMyNetworks')}</a></p>`,
  );
}

/** A refusal the member can read (a use case's message in their language), with a way back. */
export function refusedPage(ctx: PageContext, message: string, back = '/m/') {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'somethingWentWrong'),
    html`<h1>${tr(lang, 'somethingWentWrong')}</h1><p class="alert" role="alert">${message}</p>
      <p><a href="${back}">${tr(lang, 'back')}</a></p>`,
  );
}

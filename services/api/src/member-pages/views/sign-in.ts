/** Sign-in: ask for a link by email, the "check your mail" answer, and the page for a dead link. */
import { html } from '../html.js';
import { tr } from '../i18n.js';
import { alert, layout, notice, type PageContext, postForm } from '../layout.js';
import { describedBy, errorText, type FieldErrors, hintText, invalid } from './fields.js';

export type DeadLinkReason = 'unknown' | 'expired' | 'used';

const DEAD_LINK = {
  unknown: ['linkUnknownTitle', 'linkUnknownBody'],
  expired: ['linkExpiredTitle', 'linkExpiredBody'],
  used: ['linkUsedTitle', 'linkUsedBody'],
} as const;

function emailForm(ctx: PageContext, email: string, errors: FieldErrors) {
  const { lang } = ctx;
  return postForm(
    ctx,
    '/m/sign-in',
    html`<div class="field">
        <label for="email">${tr(lang, 'emailLabel')}</label>
        ${hintText('email', tr(lang, 'emailHint'))}
        ${errorText('email', errors)}
        <input id="email" name="email" type="email" autocomplete="email" inputmode="email" required
          value="${email}"${describedBy('email', errors, true)}${invalid('email', errors)}>
      </div>
      <button type="submit">${tr(lang, 'sendLink')}</button>`,
    'card',
  );
}

export function signInPage(
  ctx: PageContext,
  opts: { email?: string; errors?: FieldErrors; signedOut?: boolean; formExpired?: boolean } = {},
) {
  const { lang } = ctx;
  const errors = opts.errors ?? {};
  return layout(
    ctx,
    tr(lang, 'signInTitle'),
    html`<h1>${tr(lang, 'signInTitle')}</h1>
      ${notice(opts.signedOut ? tr(lang, 'signedOut') : null)}
      ${alert(opts.formExpired ? tr(lang, 'formExpired') : null)}
      <p>${tr(lang, 'signInIntro')}</p>
      ${emailForm(ctx, opts.email ?? '', errors)}`,
  );
}

export function linkSentPage(ctx: PageContext) {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'linkSentTitle'),
    html`<h1>${tr(lang, 'linkSentTitle')}</h1>
      <p role="status">${tr(lang, 'linkSentBody')}</p>
      <p><a href="/m/sign-in">${tr(lang, 'askNewLink')}</a></p>`,
  );
}

/** What a sign-in link opens: one button whose POST uses the link (scanners that open links burn nothing). */
export function confirmSignInPage(ctx: PageContext, path: string) {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'confirmSignInTitle'),
    html`<h1>${tr(lang, 'confirmSignInTitle')}</h1>
      <p>${tr(lang, 'confirmSignInBody')}</p>
      ${postForm(ctx, path, html`<button type="submit">${tr(lang, 'confirmSignIn')}</button>`, 'card')}`,
  );
}

export function deadLinkPage(ctx: PageContext, reason: DeadLinkReason) {
  const { lang } = ctx;
  const [title, body] = DEAD_LINK[reason];
  return layout(
    ctx,
    tr(lang, title),
    html`<h1>${tr(lang, title)}</h1>
      <p>${tr(lang, body)}</p>
      <h2>${tr(lang, 'askNewLink')}</h2>
      ${emailForm(ctx, '', {})}`,
  );
}

/**
 * The frame of every member page: `<html lang>`, the skip link, the header (menu, language
 * switch, sign-out), one `<main>` and a footer saying whose room this is. Plain forms only: the
 * pages work without JavaScript, and carry none.
 */
import { html, type Part, type SafeHtml } from './html.js';
import { type Lang, tr } from './i18n.js';

/** What every page needs to draw its frame and its forms. */
export interface PageContext {
  readonly lang: Lang;
  /** The CSRF token every form carries. */
  readonly csrf: string;
  /** This page's path (no query): where the language switch comes back to. */
  readonly path: string;
  /** Signed in: the menu and the sign-out button show. */
  readonly signedIn: boolean;
  /** The signed-in member (to mark "you" in lists), or null. */
  readonly leaderId: string | null;
}

/** The hidden CSRF field of a form. */
export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/** A POST form to `action` with the CSRF field; `content` is its fields and buttons. */
export const postForm = (ctx: PageContext, action: string, content: Part, className = '') =>
  html`<form method="post" action="${action}"${className ? html` class="${className}"` : ''}>${csrfField(ctx)}${content}</form>`;

/** A notice after a redirect (role=status: read out without moving focus). */
export const notice = (text: string | null | undefined) =>
  text ? html`<p class="notice" role="status">${text}</p>` : '';

/** An error about the whole page (role=alert). */
export const alert = (text: string | null | undefined) =>
  text ? html`<p class="alert" role="alert">${text}</p>` : '';

type Section = 'networks' | 'mine' | null;

export function layout(ctx: PageContext, title: string, body: Part, section: Section = null): SafeHtml {
  const { lang } = ctx;
  const other: Lang = lang === 'da' ? 'en' : 'da';
  const current = (s: Section) => (section === s ? html` aria-current="page"` : '');
  const menu = ctx.signedIn
    ? html`<nav aria-label="${tr(lang, 'navLabel')}"><ul>
        <li><a href="/m/"${current('networks')}>${tr(lang, 'navMyNetworks')}</a></li>
        <li><a href="/m/me"${current('mine')}>${tr(lang, 'navMine')}</a></li>
      </ul></nav>`
    : '';
  const languageSwitch = postForm(
    ctx,
    '/m/language',
    html`<input type="hidden" name="lang" value="${other}"><input type="hidden" name="back" value="${ctx.path}">
      <button type="submit" class="link" lang="${other}">${tr(lang, 'languageSwitchTo')}</button>`,
    'inline',
  );
  const signOut = ctx.signedIn
    ? postForm(
        ctx,
        '/m/sign-out',
        html`<button type="submit" class="link">${tr(lang, 'signOut')}</button>`,
        'inline',
      )
    : '';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${tr(lang, 'productName')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/m/assets/member.css">
</head>
<body>
<a class="skip" href="#main">${tr(lang, 'skipToContent')}</a>
<header class="top">
  <a class="brand" href="/m/">${tr(lang, 'productName')}</a>
  ${menu}
  <div class="tools">${languageSwitch}${signOut}</div>
</header>
<main id="main">
${body}
</main>
<footer><p>${tr(lang, 'confidentialRoom')}</p></footer>
</body>
</html>`;
}

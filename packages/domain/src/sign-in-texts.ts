/**
 * The mails the service sends a leader about signing in: the single-use sign-in link, and the
 * notice to the old address when the address on file changes. Plain text in Danish and English;
 * nothing in them is private beyond the address itself.
 */
import type { LocalizedText } from './text.js';

/** The languages the service writes mail in. */
export type MailLanguage = keyof LocalizedText;

/** A mail's subject and plain-text body, in both languages. */
export interface LocalizedMail {
  readonly subject: LocalizedText;
  readonly text: LocalizedText;
}

/**
 * The language to write to a leader in, from the languages they hold meetings in: Danish when
 * they speak it (the product's first language), else English when they speak it, else Danish.
 */
export function mailLanguage(languages: readonly string[]): MailLanguage {
  const spoken = new Set(languages.map((l) => l.trim().toLowerCase()));
  if (spoken.has('da')) return 'da';
  return spoken.has('en') ? 'en' : 'da';
}

/** The mail carrying a sign-in link, valid `validMinutes`, to the member pages. */
export function signInLinkMail(input: {
  readonly link: string;
  readonly validMinutes: number;
}): LocalizedMail {
  const { link, validMinutes } = input;
  return {
    subject: { da: 'Dit login til Sparring', en: 'Your sign-in link to Sparring' },
    text: {
      da: [
        'Hej,',
        '',
        'Her er dit link til at logge ind på dine sider i Sparring:',
        '',
        link,
        '',
        `Linket virker én gang og i ${validMinutes} minutter.`,
        'Har du ikke bedt om det, kan du se bort fra denne mail: ingen kan logge ind uden linket.',
      ].join('\n'),
      en: [
        'Hello,',
        '',
        'Here is your link to sign in to your pages in Sparring:',
        '',
        link,
        '',
        `The link works once and for ${validMinutes} minutes.`,
        'If you did not ask for it, you can ignore this mail: no one can sign in without the link.',
      ].join('\n'),
    },
  };
}

/** The notice to the OLD address when a leader's sign-in address is changed (by their HR platform). */
export function emailChangedMail(input: {
  readonly oldEmail: string;
  readonly newEmail: string;
}): LocalizedMail {
  const { oldEmail, newEmail } = input;
  return {
    subject: {
      da: 'Din login-adresse i Sparring er ændret',
      en: 'Your sign-in address in Sparring was changed',
    },
    text: {
      da: [
        'Hej,',
        '',
        `Adressen du logger ind på Sparring med, er ændret fra ${oldEmail} til ${newEmail}.`,
        'Links til at logge ind sendes fremover kun til den nye adresse.',
        '',
        'Var det ikke dig, så kontakt din HR-afdeling.',
      ].join('\n'),
      en: [
        'Hello,',
        '',
        `The address you sign in to Sparring with was changed from ${oldEmail} to ${newEmail}.`,
        'Sign-in links now go to the new address only.',
        '',
        'If this was not you, contact your HR department.',
      ].join('\n'),
    },
  };
}

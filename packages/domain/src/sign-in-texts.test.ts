import t from '@sparring/test-workers/tap';
import { emailChangedMail, mailLanguage, signInLinkMail } from './sign-in-texts.js';

t.test(
  'a leader is written to in Danish when they speak it, else English when they speak it, else Danish',
  async (t) => {
    const cases: [string[], 'da' | 'en'][] = [
      [['da'], 'da'],
      [['en', 'da'], 'da'],
      [[' EN '], 'en'],
      [['en', 'sv'], 'en'],
      [['sv'], 'da'],
      [[], 'da'],
    ];
    for (const [languages, expected] of cases)
      t.equal(mailLanguage(languages), expected, languages.join(','));
  },
);

t.test('the sign-in mail carries the link and its lifetime in both languages', async (t) => {
  const link = 'https://sparring.example/m/sign-in/abc';
  const mail = signInLinkMail({ link, validMinutes: 15 });
  for (const lang of ['da', 'en'] as const) {
    t.ok(mail.subject[lang].length > 0, `${lang} subject`);
    t.match(mail.text[lang], link, `${lang} link`);
    t.match(mail.text[lang], '15', `${lang} lifetime`);
  }
  t.not(mail.text.da, mail.text.en);
});

t.test('the email-change notice names both addresses and says whom to contact', async (t) => {
  const mail = emailChangedMail({ oldEmail: 'old@example.dk', newEmail: 'new@example.dk' });
  for (const lang of ['da', 'en'] as const) {
    t.match(mail.text[lang], 'old@example.dk');
    t.match(mail.text[lang], 'new@example.dk');
  }
  t.match(mail.text.da, /HR/);
  t.match(mail.text.en, /contact your HR/);
  t.not(mail.subject.da, mail.subject.en);
});

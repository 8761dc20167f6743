/**
 * Decorates `app.mailer`: the one built from the config (SMTP_URL, SPARRING_MAIL_FROM), or the one
 * `buildApp` was given (tests). Without SMTP a warning at start says where sign-in links go.
 */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createMailer, type Mailer } from './mailer.js';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

export interface MailPluginOptions {
  readonly config: Config;
  /** A mailer to use instead of the configured one (tests). */
  readonly mailer?: Mailer;
}

export default fp<MailPluginOptions>(
  async (app, { config, mailer }) => {
    const own = mailer === undefined ? createMailer(config, app.log) : undefined;
    const used: Mailer = mailer ?? (own as Mailer);
    if (used.transport === 'log') {
      app.log.warn(
        { mail_not_sent: 'no SMTP_URL' },
        'no SMTP_URL: mail is not sent, sign-in links go to this log (anyone reading it can sign in as the member)',
      );
    }
    app.decorate('mailer', used);
    if (own) app.addHook('onClose', () => own.close());
  },
  { name: 'mail', fastify: '5.x' },
);

/**
 * Outgoing mail. With SMTP_URL, nodemailer sends over SMTP; without it, each mail (sign-in link
 * included) is written to the service's log at info level, marked `mail_not_sent: 'no SMTP_URL'`,
 * so a local or demo install works without a mail server (docs/member-sessions.md says what that
 * means for trust). Use cases take a `Mailer`; tests pass their own.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface Mailer {
  /** `log`: nothing leaves the machine; the mail is in the service's log. */
  readonly transport: 'smtp' | 'log';
  /** Resolves when the mail was handed over (to the SMTP server, or the log); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
}

/** The service's own mailer: also waits for mail in flight and closes its connections. */
export interface ServiceMailer extends Mailer {
  close(): Promise<void>;
}

/** Short SMTP timeouts (nodemailer's defaults go up to 10 minutes): a stuck relay must not hold mail forever. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** The domain of an address, for log lines that must not carry the address itself. */
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/**
 * The mailer for this configuration. A failed send is logged here (error level, the recipient's
 * domain only) and the promise rejects, so callers that do not wait for it lose nothing silently.
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  log: FastifyBaseLogger,
): ServiceMailer {
  if (config.smtpUrl === undefined) {
    return {
      transport: 'log',
      async send(mail) {
        log.info(
          { mail_not_sent: 'no SMTP_URL', mail: { from: config.mailFrom, ...mail } },
          `mail to ${mail.to} written to the log (no SMTP_URL): ${mail.subject}`,
        );
      },
      async close() {},
    };
  }
  const { smtpUrl } = config;
  // nodemailer is loaded with the first mail, not while the service starts (start-up time).
  const connect = async () => {
    const { default: nodemailer } = await import('nodemailer');
    return nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  };
  let transporter: ReturnType<typeof connect> | undefined;
  const inFlight = new Set<Promise<void>>();
  return {
    transport: 'smtp',
    send(mail) {
      transporter ??= connect();
      const sending = transporter
        .then((smtp) => smtp.sendMail({ from: config.mailFrom, ...mail }))
        .then(
          () => undefined,
          (err: unknown) => {
            log.error({ err, mail: { toDomain: domainOf(mail.to), subject: mail.subject } }, 'mail not sent');
            throw err;
          },
        )
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
      return sending;
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      if (transporter) (await transporter).close();
    },
  };
}

/**
 * A REAL SMTP server in the test's process (smtp-server on 127.0.0.1, a random port), each mail
 * parsed as a mail client would (mailparser). Closed in the test's teardown.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Test } from 'tap';

export async function startSmtp(t: Test) {
  const received: ParsedMail[] = [];
  const listeners = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    secure: false,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          for (const l of [...listeners]) l();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;

  /** Resolves once `count` mails have arrived in all (rejects after `ms`). */
  const waitFor = (count: number, ms = 10_000): Promise<ParsedMail[]> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (received.length < count) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(received.slice(0, count));
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`expected ${count} mails, got ${received.length}`));
      }, ms);
      listeners.add(check);
      check();
    });

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor,
    /** The next mail to arrive after this call (rejects after `ms`). */
    next: async (ms = 10_000): Promise<ParsedMail> => (await waitFor(received.length + 1, ms)).at(-1)!,
  };
}

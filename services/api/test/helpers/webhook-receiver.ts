/**
 * A real HTTP receiver for webhook tests (node:http on 127.0.0.1, a free port). Every request is
 * checked with the standardwebhooks library's `Webhook.verify`: EACH signature in
 * `webhook-signature` on its own must verify with one of the secrets the test says are valid now,
 * and the whole header must verify with each secret listed in `mustVerifyWith`. A request that does
 * not is kept in `failures` (tests assert it stays empty) and answered 401.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Test } from 'tap';

export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: string;
  readonly signatures: string[];
  readonly body: string;
  readonly json: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Which of the valid secrets verified the whole request. */
  readonly verifiedBy: string[];
}

/** What the receiver answers: a status (and body), hold the request open, or drop the connection. */
export type ReceiverReply =
  | {
      readonly status: number;
      readonly body?: string | Buffer;
      readonly headers?: Record<string, string>;
      /** Answer after this long (a slow receiver). */
      readonly delayMs?: number;
    }
  | { readonly hold: true }
  | { readonly destroy: true };

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedWebhook[];
  readonly failures: string[];
  /** Every request that reached the receiver (verified or not), in order. */
  readonly hits: number;
  /** Secrets a signature may verify with. */
  secrets: string[];
  /** Secrets the whole request must verify with (e.g. old and new during a rotation). */
  mustVerifyWith: string[];
  /** The next replies (first in, first out); the default when none is queued. */
  replies: ReceiverReply[];
  defaultReply: ReceiverReply;
  /** Resolves when `n` verified webhooks have arrived in total. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the next request arrives (before it is answered). */
  nextRequest(): Promise<void>;
  /** Stops listening (connection refused from then on) and ends held requests. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startReceiver(t: Test, secrets: string[] = []): Promise<Receiver> {
  const held: http.ServerResponse[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  let arrivals: (() => void)[] = [];
  const state = {
    secrets,
    mustVerifyWith: [] as string[],
    replies: [] as ReceiverReply[],
    defaultReply: { status: 204 } as ReceiverReply,
    received: [] as ReceivedWebhook[],
    failures: [] as string[],
    hits: 0,
  };

  const verify = (body: string, headers: http.IncomingHttpHeaders): ReceivedWebhook | string => {
    const id = String(headers['webhook-id'] ?? '');
    const timestamp = String(headers['webhook-timestamp'] ?? '');
    const signatures = String(headers['webhook-signature'] ?? '')
      .split(' ')
      .filter(Boolean);
    if (!id || !timestamp || signatures.length === 0) return 'missing webhook headers';
    const verifies = (secret: string, signature: string) => {
      try {
        new Webhook(secret).verify(body, {
          'webhook-id': id,
          'webhook-timestamp': timestamp,
          'webhook-signature': signature,
        });
        return true;
      } catch {
        return false;
      }
    };
    for (const signature of signatures) {
      if (!state.secrets.some((s) => verifies(s, signature)))
        return `signature ${signature.slice(0, 12)}… verifies with no valid secret`;
    }
    const whole = signatures.join(' ');
    for (const secret of state.mustVerifyWith) {
      if (!verifies(secret, whole))
        return `the request does not verify with a secret it must (${secret.slice(0, 10)}…)`;
    }
    return {
      id,
      timestamp,
      signatures,
      body,
      json: JSON.parse(body),
      verifiedBy: state.secrets.filter((s) => verifies(s, whole)),
    };
  };

  const server = http.createServer(async (req, res) => {
    state.hits++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const arrived = arrivals;
    arrivals = [];
    for (const a of arrived) a();
    const checked = verify(body, req.headers);
    if (typeof checked === 'string') {
      state.failures.push(checked);
      res.writeHead(401).end();
      return;
    }
    const reply = state.replies.shift() ?? state.defaultReply;
    if ('hold' in reply) {
      held.push(res);
      return;
    }
    if ('destroy' in reply) {
      req.socket.destroy();
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.status >= 200 && reply.status < 300) {
      state.received.push(checked);
      const ready = waiters.filter((w) => state.received.length >= w.n);
      waiters = waiters.filter((w) => state.received.length < w.n);
      for (const w of ready) w.resolve();
    }
    res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    get received() {
      return state.received;
    },
    get failures() {
      return state.failures;
    },
    get hits() {
      return state.hits;
    },
    get secrets() {
      return state.secrets;
    },
    set secrets(v) {
      state.secrets = v;
    },
    get mustVerifyWith() {
      return state.mustVerifyWith;
    },
    set mustVerifyWith(v) {
      state.mustVerifyWith = v;
    },
    get replies() {
      return state.replies;
    },
    set replies(v) {
      state.replies = v;
    },
    get defaultReply() {
      return state.defaultReply;
    },
    set defaultReply(v) {
      state.defaultReply = v;
    },
    waitFor(n, timeoutMs = 30_000) {
      if (state.received.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`waited ${timeoutMs} ms for ${n} webhooks; ${state.received.length} arrived`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    nextRequest() {
      return new Promise<void>((resolve) => arrivals.push(resolve));
    },
    async stop() {
      for (const res of held.splice(0)) res.socket?.destroy();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
    },
    async start() {
      if (server.listening) return;
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
  };
  t.teardown(() => receiver.stop());
  return receiver;
}

/**
 * A typed test client over `app.inject`: `api(app, auth).post('/v1/leaders', body)` sends what
 * `app.inject({ method: 'POST', url, headers: auth, payload: body })` sends, byte for byte — the
 * body goes to light-my-request unchanged (an object as JSON with `application/json`, a string or
 * Buffer as it is), `opts.headers` are merged over `auth`, and `opts.query` is light-my-request's
 * `query`. The answer is light-my-request's response (`statusCode`, `headers`, `body`,
 * `json<T>()`). Requests that set anything else (`remoteAddress`, cookies, HEAD, OPTIONS) use
 * `app.inject` directly.
 */
import type { paths } from '@sparring/client';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Auth, TestApp } from './build.js';

/** The response of `app.inject`: `json<T = any>()` reads the body typed as `T`. */
export type ApiResponse = LightMyRequestResponse;

/** A documented path with its `{parameters}` filled in, e.g. `/v1/leaders/${string}`. */
type Filled<P extends string> = P extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${Filled<Tail>}`
  : P;

/**
 * A URL of the REST API (`paths` of the OpenAPI document, as `@sparring/client` types it), with
 * or without a query string. Any other string is accepted too (GraphQL, SCIM, member pages,
 * routes that are not documented): the type is for the editor's completion, not a check.
 */
export type ApiUrl =
  | Filled<keyof paths & string>
  | `${Filled<keyof paths & string>}?${string}`
  | (string & {});

export interface ApiOptions {
  /** Headers merged over the client's `auth` headers. */
  headers?: Record<string, string>;
  /** The query string, as light-my-request's `query` (merged into the URL's own). */
  query?: InjectOptions['query'];
}

/** The methods the client sends; `send` takes any of them, e.g. from a table of requests. */
export type Method = 'GET' | 'DELETE' | 'POST' | 'PUT' | 'PATCH' | 'OPTIONS';

export function api(app: Pick<TestApp, 'inject'>, auth?: Auth | Record<string, string>) {
  const send = (method: Method, url: ApiUrl, body: unknown, opts: ApiOptions = {}): Promise<ApiResponse> =>
    app.inject({
      method,
      url,
      headers: { ...auth, ...opts.headers },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      ...(opts.query === undefined ? {} : { query: opts.query }),
    });
  return {
    get: (url: ApiUrl, opts?: ApiOptions) => send('GET', url, undefined, opts),
    delete: (url: ApiUrl, opts?: ApiOptions) => send('DELETE', url, undefined, opts),
    post: (url: ApiUrl, body?: unknown, opts?: ApiOptions) => send('POST', url, body, opts),
    put: (url: ApiUrl, body?: unknown, opts?: ApiOptions) => send('PUT', url, body, opts),
    patch: (url: ApiUrl, body?: unknown, opts?: ApiOptions) => send('PATCH', url, body, opts),
    /** Any method, as a value (a table of requests, a fuzzer, a CORS preflight). */
    send: (method: Method, url: ApiUrl, body?: unknown, opts?: ApiOptions) => send(method, url, body, opts),
  };
}

/**
 * The generated client (@sparring/client) against an app in the test, through `inject`: no
 * socket, the requests go through every hook and schema as over HTTP.
 */
import { createSparringClient, type SparringClient } from '@sparring/client';
import type { TestApp } from './build.js';

/** A fetch that sends the client's requests into `app`. */
export function injectFetch(app: TestApp) {
  return async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const body = input.body ? await input.text() : undefined;
    const res = await app.inject({
      method: input.method as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(input.headers),
      ...(body !== undefined ? { payload: body } : {}),
    });
    return new Response(res.statusCode === 204 ? null : res.body, {
      status: res.statusCode,
      headers: res.headers as Record<string, string>,
    });
  };
}

/** A typed client of `app` with `key` (an admin key or a member token). */
export const clientOf = (app: TestApp, key: string): SparringClient =>
  createSparringClient({ baseUrl: 'http://sparring.test', apiKey: key, fetch: injectFetch(app) });

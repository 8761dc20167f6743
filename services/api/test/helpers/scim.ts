/**
 * A SCIM client for tests: JSON bodies sent as application/scim+json (as Entra ID and Okta
 * send them), answers parsed; paths relative to /scim/v2.
 */
import { api } from './api.js';
import type { TestApp } from './build.js';

export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  leader: 'urn:sparring:params:scim:schemas:extension:leader:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimResponse {
  status: number;
  headers: Record<string, unknown>;
  contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the answer holds
  body: any;
}

export function scimClient(app: TestApp, auth: { authorization: string } | Record<string, string>) {
  const call = async (
    method: Method,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ScimResponse> => {
    const res = await api(app, auth).send(
      method,
      `/scim/v2${path}`,
      body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
      {
        headers: {
          accept: 'application/scim+json',
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
          ...headers,
        },
      },
    );
    return {
      status: res.statusCode,
      headers: res.headers,
      contentType: String(res.headers['content-type'] ?? ''),
      body: res.body ? JSON.parse(res.body) : undefined,
    };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('PATCH', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
    /** GET /Users?filter=… with the filter URL-encoded. */
    filter: (filter: string, extra = '') =>
      call('GET', `/Users?filter=${encodeURIComponent(filter)}${extra}`),
  };
}

let counter = 0;

/** A minimal SCIM User, as an identity provider sends one; each call a new address. */
export function scimUser(overrides: Record<string, unknown> = {}) {
  counter++;
  const email = `user${counter}.${Date.now()}@example.dk`;
  return {
    schemas: [SCIM.user],
    userName: email,
    name: { givenName: 'Mette', familyName: `Jensen${counter}` },
    emails: [{ value: email, type: 'work', primary: true }],
    active: true,
    ...overrides,
  };
}

/** A PatchOp message. */
export const patchOp = (...Operations: object[]) => ({ schemas: [SCIM.patchOp], Operations });

/**
 * SCIM 2.0 (RFC 7643, RFC 7644) under /scim/v2 for identity providers (Entra ID, Okta) and HR
 * systems: Users (a Sparring leader each) and the discovery endpoints. Authenticated with the
 * tenant's API key, as /v1. Bodies are `application/scim+json` (plain JSON is accepted too);
 * every error, the auth hook's 401 included, is a SCIM error body (scim-error.ts).
 *
 * The routes are left out of the OpenAPI document (`hide`): SCIM describes itself through
 * /ServiceProviderConfig, /ResourceTypes and /Schemas, which is what SCIM clients read.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { adminOf } from '../auth/request.js';
import type { Config } from '../config.js';
import { checkIfMatch } from '../http/etag.js';
import { notifyEmailChange } from '../members/member-session.service.js';
import { LIST_RESPONSE_SCHEMA, SCIM_CONTENT_TYPE } from './scim.constants.js';
import { resourceTypeDocuments, schemaDocuments, serviceProviderConfig } from './scim-discovery.js';
import { scimError, sendScimError } from './scim-error.js';
import {
  createScimUser,
  deleteScimUser,
  getScimUser,
  type ListQuery,
  listScimUsers,
  patchScimUser,
  replaceScimUser,
  type ScimCaller,
} from './scim-user.service.js';

export const SCIM_PREFIX = '/scim/v2';

const scimRoutes: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const baseUrl = `${config.publicUrl.replace(/\/$/, '')}${SCIM_PREFIX}`;
  app.setErrorHandler(sendScimError);
  app.setNotFoundHandler((request, reply) =>
    sendScimError(
      scimError(404, undefined, `No SCIM endpoint ${request.method} ${request.url}`),
      request,
      reply,
    ),
  );
  // RFC 7644 §3.1: SCIM messages are application/scim+json, a JSON document.
  app.addContentTypeParser(
    SCIM_CONTENT_TYPE,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  const send = (reply: FastifyReply, body: unknown, status = 200) =>
    reply.code(status).type(SCIM_CONTENT_TYPE).send(body);
  const caller = (request: FastifyRequest): ScimCaller => ({
    db: app.db,
    principal: adminOf(request),
    baseUrl,
    log: request.log,
    checkVersion:
      request.headers['if-match'] === undefined ? undefined : (version) => checkIfMatch(request, version),
  });
  const options = { config: { auth: 'admin' as const }, schema: { hide: true } };

  app.get('/ServiceProviderConfig', options, (_request, reply) =>
    send(reply, serviceProviderConfig(baseUrl)),
  );

  const listOf = (resources: object[]) => ({
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });
  app.get('/ResourceTypes', options, (_request, reply) =>
    send(reply, listOf(resourceTypeDocuments(baseUrl))),
  );
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', options, (request, reply) => {
    const found = resourceTypeDocuments(baseUrl).find((r) => r.id === request.params.id);
    if (!found) throw scimError(404, undefined, `No resource type ${request.params.id}`);
    return send(reply, found);
  });
  app.get('/Schemas', options, (_request, reply) => send(reply, listOf(schemaDocuments(baseUrl))));
  app.get<{ Params: { id: string } }>('/Schemas/:id', options, (request, reply) => {
    const found = schemaDocuments(baseUrl).find(
      (s) => s.id.toLowerCase() === request.params.id.toLowerCase(),
    );
    if (!found) throw scimError(404, undefined, `No schema ${request.params.id}`);
    return send(reply, found);
  });

  app.get<{ Querystring: ListQuery }>('/Users', options, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return send(
      reply,
      await listScimUsers(caller(request), {
        filter: text(q.filter),
        startIndex: text(q.startIndex),
        count: text(q.count),
      }),
    );
  });

  app.post('/Users', options, async (request, reply) => {
    const user = await createScimUser(caller(request), request.body);
    return send(reply.header('location', user.meta.location).header('etag', user.meta.version), user, 201);
  });

  app.get<{ Params: { id: string } }>('/Users/:id', options, async (request, reply) => {
    const user = await getScimUser(caller(request), request.params.id);
    return send(reply.header('etag', user.meta.version), user);
  });

  app.put<{ Params: { id: string } }>('/Users/:id', options, async (request, reply) => {
    const { user, emailChange } = await replaceScimUser(caller(request), request.params.id, request.body);
    if (emailChange) void notifyEmailChange(app.mailer, emailChange);
    return send(reply.header('etag', user.meta.version), user);
  });

  // 200 with the resource (RFC 7644 §3.5.2 allows 200 or 204): Entra ID and Okta read either.
  app.patch<{ Params: { id: string } }>('/Users/:id', options, async (request, reply) => {
    const { user, emailChange } = await patchScimUser(caller(request), request.params.id, request.body);
    if (emailChange) void notifyEmailChange(app.mailer, emailChange);
    return send(reply.header('etag', user.meta.version), user);
  });

  app.delete<{ Params: { id: string } }>('/Users/:id', options, async (request, reply) => {
    await deleteScimUser(caller(request), request.params.id);
    return reply.code(204).send();
  });
};

export default scimRoutes;

/**
 * The OpenAPI document describes every route with examples (issue 5): each operation has a summary,
 * an example for its request body and its success response, problem documents for its errors, and
 * every example in the document validates against the schema it sits on — so the examples a reader
 * copies from /docs are requests the service accepts and responses it actually gives.
 */

import t from '@sparring/test-workers/tap';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';

type Json = Record<string, unknown>;
interface Media {
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Response {
  $ref?: string;
  content?: Record<string, Media>;
}
interface Operation {
  summary?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, Response>;
}

const { app } = await buildTestApp(t);
const res = await api(app).get('/openapi.json');
const doc = res.json() as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Response> };
};

// The document's dialect (OpenAPI 3.1 = JSON Schema 2020-12). Shared schemas are `$ref`s to
// #/components/schemas/…: each schema is compiled with the components beside it to resolve them.
const ajv = addFormats.default(new Ajv2020.default({ strict: false, allErrors: true }));

/** The component a schema refers to, else the schema. */
const deref = (schema: Json): Json =>
  typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')
    ? (doc.components.schemas[schema.$ref.slice('#/components/schemas/'.length)] ?? schema)
    : schema;

/** A response, or the component (#/components/responses/…) it refers to. */
const responseOf = (response: Response | undefined): Response | undefined =>
  response?.$ref ? doc.components.responses[response.$ref.replace('#/components/responses/', '')] : response;

/** The examples a reader sees for a media type: its own, or its schema's. */
function examplesOf(media: Media): unknown[] {
  const own = [
    ...(media.example === undefined ? [] : [media.example]),
    ...Object.values(media.examples ?? {}).map((e) => e.value),
  ];
  if (own.length > 0) return own;
  const schema = deref(media.schema ?? {});
  return [
    ...(schema.example === undefined ? [] : [schema.example]),
    ...(Array.isArray(schema.examples) ? schema.examples : []),
  ];
}

/** Errors of `example` against `schema`, as text; '' when it validates. */
function invalid(schema: Json, example: unknown): string {
  const validate = ajv.compile({ ...schema, components: doc.components });
  return validate(example) ? '' : ajv.errorsText(validate.errors);
}

/** Every example nested inside a schema (a property's, an item's) validates against its own schema. */
function nestedExampleErrors(where: string, schema: unknown, out: string[]): void {
  if (schema === null || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    for (const s of schema) nestedExampleErrors(where, s, out);
    return;
  }
  const s = schema as Json;
  const nested = [
    ...(s.example === undefined ? [] : [s.example]),
    ...(Array.isArray(s.examples) ? s.examples : []),
  ];
  for (const example of nested) {
    const errors = invalid(s, example);
    if (errors) out.push(`${where}: ${errors}`);
  }
  for (const [key, value] of Object.entries(s))
    if (!['example', 'examples', 'enum', 'const', 'default'].includes(key))
      nestedExampleErrors(`${where}/${key}`, value, out);
}

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
);

t.equal(res.statusCode, 200);
t.ok(operations.length > 50, `the document lists the service's operations (${operations.length})`);

for (const { name, op } of operations) {
  t.test(name, async (t) => {
    t.ok(op.summary?.trim(), 'has a summary');
    if (/^(POST|PUT|PATCH) /.test(name))
      t.ok(op.requestBody, 'declares its body (NoBody when it takes none)');

    if (op.requestBody) {
      for (const [type, media] of Object.entries(op.requestBody.content)) {
        const examples = examplesOf(media);
        t.ok(examples.length > 0, `request body ${type} has an example`);
        for (const example of examples)
          t.equal(invalid(media.schema ?? {}, example), '', `request body example validates (${type})`);
      }
    }

    const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s) && s !== '204');
    t.ok(success.length > 0 || op.responses['204'], 'documents a success response');
    for (const status of success) {
      const content = Object.entries(responseOf(op.responses[status])?.content ?? {});
      t.ok(content.length > 0, `${status} has a body`);
      for (const [type, media] of content) {
        const examples = examplesOf(media);
        t.ok(examples.length > 0, `${status} ${type} has an example`);
        for (const example of examples)
          t.equal(invalid(media.schema ?? {}, example), '', `${status} example validates (${type})`);
      }
    }

    for (const status of Object.keys(op.responses).filter((s) => /^[45]\d\d$/.test(s))) {
      const content = responseOf(op.responses[status])?.content ?? {};
      t.same(Object.keys(content), ['application/problem+json'], `${status} is a problem document`);
      for (const media of Object.values(content))
        for (const example of examplesOf(media))
          t.equal(invalid(media.schema ?? {}, example), '', `${status} problem example validates`);
    }

    const nested: string[] = [];
    for (const media of Object.values(op.requestBody?.content ?? {}))
      nestedExampleErrors('body', media.schema, nested);
    for (const [status, response] of Object.entries(op.responses))
      for (const media of Object.values(responseOf(response)?.content ?? {}))
        nestedExampleErrors(status, media.schema, nested);
    t.same(nested, [], 'examples nested in the schemas validate too');
  });
}

t.test('examples nested in the shared schemas (components) validate', async (t) => {
  const nested: string[] = [];
  for (const [name, schema] of Object.entries(doc.components.schemas))
    nestedExampleErrors(`#/components/schemas/${name}`, schema, nested);
  t.same(nested, []);
});

import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import t from '@sparring/test-workers/tap';
import { forSerialization } from '../src/http/serialization-schema.js';
import { LeaderPage } from '../src/leaders/leader.schema.js';
import { SCHEMA_COMPONENTS } from '../src/plugins/openapi-components.js';

/** fast-json-stringify's serializer for `schema`, compiled the way Fastify compiles a response schema. */
const serializer = (schema: unknown) =>
  SerializerSelector()(undefined, {})({ schema, method: 'GET', url: '/', httpStatus: '200' } as never);

t.test('a nullable scalar becomes one schema whose type admits null; an enum gets its type', async (t) => {
  const schema = {
    type: 'object',
    properties: {
      externalId: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'kept' },
      heldAt: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
      cadence: { anyOf: [{ enum: [1, 2, 3] }, { type: 'null' }] },
      level: { enum: ['first_line', 'middle'] },
      venue: { anyOf: [{ type: 'object', properties: {} }, { type: 'null' }] },
      mixed: { enum: ['a', 1] },
      // A property may be named like a keyword whose value is data.
      examples: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    },
    examples: [{ level: 'middle' }],
  };
  const before = JSON.stringify(schema);
  const rewritten = forSerialization(schema) as { properties: Record<string, unknown>; examples: unknown };
  t.equal(JSON.stringify(schema), before, 'the input is not changed');
  t.same(rewritten.properties, {
    externalId: { type: ['string', 'null'], description: 'kept' },
    heldAt: { type: ['string', 'null'], format: 'date-time' },
    cadence: { type: ['integer', 'null'], enum: [1, 2, 3, null] },
    level: { type: 'string', enum: ['first_line', 'middle'] },
    venue: { anyOf: [{ type: 'object', properties: {} }, { type: 'null' }] },
    mixed: { enum: ['a', 1] },
    examples: { type: ['integer', 'null'] },
  });
  t.same(rewritten.examples, [{ level: 'middle' }], 'examples are data, copied as they are');
});

t.test('every shared response schema serializes its examples exactly as before the rewrite', async (t) => {
  let compared = 0;
  for (const [name, schema] of SCHEMA_COMPONENTS) {
    const examples = (schema as { examples?: unknown[] }).examples ?? [];
    if (examples.length === 0) continue;
    const original = serializer(schema);
    const rewritten = serializer(forSerialization(schema));
    for (const example of examples) {
      t.equal(rewritten(example), original(example), name);
      compared++;
    }
  }
  t.ok(compared >= 20, `${compared} examples compared`);
});

t.test('the leader page has no anyOf left to evaluate per leader', async (t) => {
  const json = JSON.stringify(forSerialization(LeaderPage));
  t.notOk(json.includes('"anyOf"'), 'no anyOf in the rewritten leader page');
  t.ok(JSON.stringify(LeaderPage).includes('"anyOf"'), 'the wire schema itself keeps its anyOf (OpenAPI)');
  // A value the schema does not list is still left out, as before.
  const page = serializer(forSerialization(LeaderPage));
  const leader = (LeaderPage as unknown as { examples: { data: object[] }[] }).examples[0]!.data[0]!;
  const out = JSON.parse(page({ data: [{ ...leader, exclusions: ['x'], secret: 1 }], nextCursor: null }));
  t.notOk('exclusions' in out.data[0]);
  t.notOk('secret' in out.data[0]);
  t.equal(out.data[0].name, (leader as { name: string }).name);
});

/**
 * Shared schemas of the OpenAPI document as named components (`#/components/schemas/<Name>`).
 *
 * The routes validate with plain inline TypeBox schemas (an `$id` on them would make Ajv refuse
 * the inline copies the routes embed), so the document generated from them repeats every
 * resource wherever it occurs: a network in eleven responses, a leader in six, a localized text
 * in thirty. Here the document is folded after it is generated, not the validation: the schemas
 * below are rendered by @fastify/swagger as components like any other, and every subschema of the
 * document that is one of them (the same JSON, annotations aside) becomes a `$ref` to it. Inner
 * components are folded first, so `Network` refers to `NetworkMember` and `LocalizedText`.
 */

import {
  CalendarFeedPage,
  CalendarFeedSchema,
  CreatedCalendarFeedSchema,
} from '../calendar/calendar-feed.schema.js';
import {
  HealthSchema,
  MyEvaluationSchema,
  SignalList,
  SignalSchema,
  SummarySchema,
} from '../evaluations/evaluation.schema.js';
import { EventPage, EventSchema } from '../events/event.schema.js';
import { FormationRunPage, FormationRunSchema } from '../formation/formation.routes.js';
import { LocalizedTextSchema } from '../http/schemas.js';
import { LeaderPage, LeaderSchema } from '../leaders/leader.schema.js';
import {
  AgendaItemSchema,
  AgendaList,
  AttendanceList,
  AttendanceSchema,
  HeldSchema,
  MeetingList,
  MeetingModelSchema,
  MeetingPage,
  MeetingSchema,
  RoleAssignmentSchema,
  VenueSchema,
} from '../meetings/meeting.schema.js';
import { MemberTokenPage, MemberTokenSchema } from '../member-tokens/member-token.routes.js';
import {
  AcceptanceSchema,
  CharterStatusSchema,
  CharterVersionPage,
  CharterVersionSchema,
  ConsentSchema,
  LifecycleSummarySchema,
  NetworkPage,
  NetworkSchema,
  RulesSchema,
} from '../networks/network.schema.js';
import { RecommendationSchema, ReviewPage, ReviewSchema } from '../reviews/review.schema.js';
import {
  WebhookAttemptSchema,
  WebhookDeliveryPage,
  WebhookDeliverySchema,
  WebhookDeliveryWithAttemptsSchema,
  WebhookEndpointPage,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from '../webhooks/webhook.schema.js';

/**
 * The named schemas, by component name. Each must occur in the document (a test checks that it is
 * referenced and nowhere left inline); two with the same JSON would be ambiguous and are refused.
 */
export const SCHEMA_COMPONENTS: ReadonlyArray<readonly [string, unknown]> = [
  ['LocalizedText', LocalizedTextSchema],
  ['Leader', LeaderSchema],
  ['LeaderPage', LeaderPage],
  ['Network', NetworkSchema],
  ['NetworkMember', NetworkSchema.properties.members.items],
  ['NetworkSettings', NetworkSchema.properties.settings],
  ['NetworkPage', NetworkPage],
  ['LifecycleSummary', LifecycleSummarySchema],
  ['Consent', ConsentSchema],
  ['Rules', RulesSchema],
  ['CharterVersion', CharterVersionSchema],
  ['CharterVersionPage', CharterVersionPage],
  ['CharterStatus', CharterStatusSchema],
  ['Acceptance', AcceptanceSchema],
  ['Venue', VenueSchema],
  ['RoleAssignment', RoleAssignmentSchema],
  ['MeetingModel', MeetingModelSchema],
  ['Meeting', MeetingSchema],
  ['MeetingList', MeetingList],
  ['MeetingPage', MeetingPage],
  ['AgendaItem', AgendaItemSchema],
  ['AgendaList', AgendaList],
  ['Attendance', AttendanceSchema],
  ['AttendanceList', AttendanceList],
  ['HeldMeeting', HeldSchema],
  ['MyEvaluation', MyEvaluationSchema],
  ['Summary', SummarySchema],
  ['Signal', SignalSchema],
  ['SignalList', SignalList],
  ['Health', HealthSchema],
  ['Recommendation', RecommendationSchema],
  ['RankedChange', RecommendationSchema.properties.advised.items],
  ['Review', ReviewSchema],
  ['ReviewPage', ReviewPage],
  ['FormationRun', FormationRunSchema],
  ['FormationRunPage', FormationRunPage],
  ['MemberToken', MemberTokenSchema],
  ['MemberTokenPage', MemberTokenPage],
  ['WebhookEndpoint', WebhookEndpointSchema],
  ['WebhookEndpointPage', WebhookEndpointPage],
  ['WebhookAttempt', WebhookAttemptSchema],
  ['WebhookDelivery', WebhookDeliverySchema],
  ['WebhookDeliveryWithAttempts', WebhookDeliveryWithAttemptsSchema],
  ['WebhookDeliveryPage', WebhookDeliveryPage],
  ['Event', EventSchema],
  ['EventPage', EventPage],
  ['CalendarFeed', CalendarFeedSchema],
  ['CalendarFeedPage', CalendarFeedPage],
  ['CreatedCalendarFeed', CreatedCalendarFeedSchema],
  ['WebhookEndpointWithSecret', WebhookEndpointWithSecretSchema],
];

type Json = Record<string, unknown>;

/** Keywords that say something about a schema without changing what it accepts. */
const ANNOTATIONS = ['description', 'title', 'examples', 'example', 'deprecated'] as const;

/** Keys whose value is data (or a media type's examples), never a schema to fold. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default']);

/** Keys whose value maps names to schemas: a property named `default` is still a schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'schemas']);

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON with sorted keys, so equal schemas are equal strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** What a schema accepts: its JSON without its own (top-level) annotations. */
function coreOf(schema: Json): string | undefined {
  const core: Json = {};
  for (const [key, value] of Object.entries(schema))
    if (!(ANNOTATIONS as readonly string[]).includes(key)) core[key] = value;
  // A bare annotation, `{}` or a `$ref` is nothing to name.
  if (Object.keys(core).length === 0 || '$ref' in core) return undefined;
  return canonical(core);
}

/** A `$ref` to a component, keeping the annotations in which this use differs from it. */
function refTo(name: string, component: Json, use: Json): Json {
  const ref: Json = { $ref: `#/components/schemas/${name}` };
  for (const key of ANNOTATIONS)
    if (key in use && canonical(use[key]) !== canonical(component[key])) ref[key] = use[key];
  return ref;
}

/**
 * `node` with its subschemas folded into `$ref`s, children first (so an outer schema is compared
 * with its inner components already folded, as the components themselves are). `root` is never
 * replaced itself (a component's own definition).
 */
function fold(node: unknown, names: Map<string, string>, components: Json, root = false): unknown {
  if (Array.isArray(node)) return node.map((item) => fold(item, names, components));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYS.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key) && isObject(value))
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, fold(schema, names, components)]),
      );
    else out[key] = fold(value, names, components);
  }
  if (root) return out;
  const core = coreOf(out);
  const name = core === undefined ? undefined : names.get(core);
  return name === undefined ? out : refTo(name, components[name] as Json, out);
}

/**
 * Folds the document in place: the named components (already rendered into
 * `components.schemas` by @fastify/swagger) refer to each other, smallest first, and every
 * occurrence of one in the paths becomes a `$ref`.
 */
export function foldSchemaComponents(document: { paths?: unknown; components?: { schemas?: Json } }) {
  const components = document.components?.schemas;
  if (!components) return;
  const names = new Map<string, string>();
  const named = SCHEMA_COMPONENTS.map(([name]) => name).sort(
    (a, b) => JSON.stringify(components[a]).length - JSON.stringify(components[b]).length,
  );
  for (const name of named) {
    const folded = fold(components[name], names, components, true) as Json;
    components[name] = folded;
    const core = coreOf(folded);
    if (core === undefined) throw new Error(`schema component ${name} is missing or empty`);
    const other = names.get(core);
    if (other !== undefined) throw new Error(`schema components ${other} and ${name} are the same schema`);
    names.set(core, name);
  }
  // The other components (the problem document) may hold named ones too.
  for (const [name, schema] of Object.entries(components))
    if (!names.has(coreOf(schema as Json) ?? '')) components[name] = fold(schema, names, components, true);
  document.paths = fold(document.paths, names, components);
  dropCopiedExamples(document.paths, components);
}

/**
 * A media type whose schema is a component carries, from @fastify/swagger, a copy of that
 * component's examples (`example`, or `examples` by name): dropped, as readers and generators
 * take the schema's own. Examples of the operation's own (different ones) stay.
 */
function dropCopiedExamples(node: unknown, components: Json): void {
  if (Array.isArray(node)) for (const item of node) dropCopiedExamples(item, components);
  if (!isObject(node)) return;
  const schema = node.schema;
  if (isObject(schema) && Object.keys(schema).length === 1 && typeof schema.$ref === 'string') {
    const component = components[schema.$ref.replace('#/components/schemas/', '')];
    const own =
      'example' in node
        ? [node.example]
        : isObject(node.examples)
          ? Object.values(node.examples).map((e) => (isObject(e) ? e.value : undefined))
          : undefined;
    if (own && isObject(component) && canonical(own) === canonical(component.examples)) {
      delete node.example;
      delete node.examples;
    }
  }
  for (const [key, value] of Object.entries(node))
    if (!DATA_KEYS.has(key)) dropCopiedExamples(value, components);
}

/**
 * The error responses as components too: an operation's 404 is the same problem response (the
 * problem document, the codes a 404 can have, its headers) as every other's, so each distinct
 * one is written once, as `#/components/responses/Problem<status>`, and referenced. Run after
 * the response headers are declared (they are part of what makes two responses the same).
 */
export function foldProblemResponses(document: { paths?: unknown; components?: { responses?: Json } }) {
  const paths = (document.paths ?? {}) as Record<string, Record<string, { responses?: Json }>>;
  const byJson = new Map<string, string>();
  const responses: Json = { ...document.components?.responses };
  for (const item of Object.values(paths))
    for (const operation of Object.values(item ?? {}))
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (!/^[45]\d\d$/.test(status) || !isObject(response) || '$ref' in response) continue;
        const key = `${status} ${canonical(response)}`;
        let name = byJson.get(key);
        if (name === undefined) {
          const variants = [...byJson.keys()].filter((k) => k.startsWith(`${status} `)).length;
          name = variants === 0 ? `Problem${status}` : `Problem${status}Variant${variants + 1}`;
          byJson.set(key, name);
          responses[name] = response;
        }
        (operation.responses as Json)[status] = { $ref: `#/components/responses/${name}` };
      }
  if (byJson.size > 0 && document.components) document.components.responses = responses;
}

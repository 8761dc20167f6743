/**
 * The discovery endpoints' documents (RFC 7644 §4, RFC 7643 §5–7): what this service provider
 * supports, its one resource type (User) and the schemas of the attributes it reads and writes.
 * Only attributes Sparring stores are listed; others a client sends are ignored.
 */
import {
  CADENCES_IN_MONTHS,
  LEADERSHIP_LEVELS,
  MEETING_FORMATS,
  MOTIVATIONS,
  TIME_SLOTS,
} from '@sparring/domain';
import {
  ENTERPRISE_USER_SCHEMA,
  LEADER_EXTENSION_SCHEMA,
  MAX_COUNT,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from './scim.constants.js';

interface AttributeOptions {
  readonly type?: 'string' | 'boolean' | 'integer' | 'dateTime' | 'reference' | 'complex';
  readonly multiValued?: boolean;
  readonly required?: boolean;
  readonly caseExact?: boolean;
  readonly mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  readonly uniqueness?: 'none' | 'server' | 'global';
  readonly canonicalValues?: readonly (string | number)[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly object[];
}

/** An attribute definition (RFC 7643 §7) with the RFC's defaults spelled out. */
function attribute(name: string, description: string, o: AttributeOptions = {}) {
  return {
    name,
    type: o.type ?? 'string',
    multiValued: o.multiValued ?? false,
    description,
    required: o.required ?? false,
    ...(o.type === 'string' || o.type === undefined || o.type === 'reference'
      ? { caseExact: o.caseExact ?? false }
      : {}),
    ...(o.canonicalValues ? { canonicalValues: [...o.canonicalValues] } : {}),
    ...(o.referenceTypes ? { referenceTypes: [...o.referenceTypes] } : {}),
    ...(o.subAttributes ? { subAttributes: [...o.subAttributes] } : {}),
    mutability: o.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: o.uniqueness ?? 'none',
  };
}

const USER_ATTRIBUTES = [
  attribute(
    'userName',
    "The leader's sign-in email address; unique in the tenant, compared case-insensitively",
    {
      required: true,
      uniqueness: 'server',
    },
  ),
  attribute('name', "The leader's name", {
    type: 'complex',
    subAttributes: [
      attribute('formatted', 'The full name (the leader’s name in Sparring)'),
      attribute('givenName', 'Derived: every word of the name but the last'),
      attribute('familyName', 'Derived: the last word of the name'),
    ],
  }),
  attribute('displayName', 'The leader’s name, as shown to their network'),
  attribute('emails', 'The sign-in address again, as the primary work email', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attribute('value', 'The address'),
      attribute('type', 'Always work', { canonicalValues: ['work'] }),
      attribute('primary', 'Always true', { type: 'boolean' }),
    ],
  }),
  attribute('active', 'false when the leader is deactivated (left the organisation)', { type: 'boolean' }),
];

const ENTERPRISE_ATTRIBUTES = [
  attribute('organization', 'The leader’s organisation (their employer)'),
  attribute(
    'manager',
    'The leader’s manager, another User of the tenant (the conflict-of-interest rule reads it)',
    {
      type: 'complex',
      subAttributes: [
        attribute('value', 'The manager’s SCIM id', { caseExact: true }),
        attribute('$ref', 'The manager’s URI', {
          type: 'reference',
          referenceTypes: ['User'],
          mutability: 'readOnly',
        }),
      ],
    },
  ),
];

const LEADER_ATTRIBUTES = [
  attribute('sector', 'Free text, e.g. public, private, NGO; "unspecified" until stated'),
  attribute('level', 'Leadership level; middle until stated', { canonicalValues: LEADERSHIP_LEVELS }),
  attribute('yearsOfExperience', 'Years as a leader; 0 until stated', { type: 'integer' }),
  attribute('region', 'Where the leader can meet; the work address’s region, else "unspecified"'),
  attribute(
    'languages',
    'Languages the leader can hold a meeting in (e.g. da, en); preferredLanguage, else da',
    {
      multiValued: true,
    },
  ),
  attribute('motivations', 'What the leader wants from a network; all until stated', {
    multiValued: true,
    canonicalValues: MOTIVATIONS,
  }),
  attribute('availability', 'When the leader can meet; all until stated', {
    multiValued: true,
    canonicalValues: TIME_SLOTS,
  }),
  attribute('formats', 'How the leader can meet; all until stated', {
    multiValued: true,
    canonicalValues: MEETING_FORMATS,
  }),
  attribute('preferredCadenceMonths', 'Months between meetings the leader prefers', {
    type: 'integer',
    canonicalValues: CADENCES_IN_MONTHS,
  }),
];

export function schemaDocuments(baseUrl: string) {
  const schema = (id: string, name: string, description: string, attributes: object[]) => ({
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` },
  });
  return [
    schema(USER_SCHEMA, 'User', 'A Sparring leader', USER_ATTRIBUTES),
    schema(ENTERPRISE_USER_SCHEMA, 'EnterpriseUser', 'Organisation and manager', ENTERPRISE_ATTRIBUTES),
    schema(
      LEADER_EXTENSION_SCHEMA,
      'SparringLeader',
      'The leader profile fields SCIM has no attribute for',
      LEADER_ATTRIBUTES,
    ),
  ];
}

export function resourceTypeDocuments(baseUrl: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A leader of the tenant',
      schema: USER_SCHEMA,
      schemaExtensions: [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: LEADER_EXTENSION_SCHEMA, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
  ];
}

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer API key',
        description: 'The tenant’s API key, sent as Authorization: Bearer <key> (the same key as /v1)',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** The URNs and limits of the SCIM 2.0 surface (RFC 7643, RFC 7644) under /scim/v2. */

export const SCIM_CONTENT_TYPE = 'application/scim+json';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Sparring's own extension: the leader profile fields SCIM has no attribute for. */
export const LEADER_EXTENSION_SCHEMA = 'urn:sparring:params:scim:schemas:extension:leader:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/**
 * Page size when the client sends no `count`: 100 is the page Okta asks for when it imports
 * users; Entra ID's reads are single-user filters. RFC 7644 §3.4.2.4 leaves the default to the
 * service provider.
 */
export const DEFAULT_COUNT = 100;
/**
 * The largest page (ServiceProviderConfig `filter.maxResults`): the /v1 leader list's own maximum
 * (200). A larger `count` is answered with at most this many, as RFC 7644 §3.4.2.4 allows.
 */
export const MAX_COUNT = 200;
/** A filter longer than this is refused (400 invalidFilter) before it is parsed. */
export const MAX_FILTER_LENGTH = 2_000;

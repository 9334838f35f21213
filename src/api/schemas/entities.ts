// Response shapes of the REST API (API-CONTRACT §1), as JSON Schema. representations.ts and
// the routes build these objects; a field missing here would be dropped from the answer.
import {
  NULLABLE_STRING, NULLABLE_TIMESTAMP, object, STRING_MAP, TIMESTAMP, UUID, type Schema,
} from './common.js';

const ACTOR_TYPE = { type: ['string', 'null'], enum: ['user', 'role', 'agent', null] } as const;

export const USER = object({
  id: UUID, username: { type: 'string' }, email: { type: 'string' }, full_name: { type: 'string' },
  company: NULLABLE_STRING, bio: NULLABLE_STRING, source: { type: 'string' }, status: { type: 'string' }, created_at: TIMESTAMP,
}, ['id', 'username', 'email', 'full_name', 'source', 'status', 'created_at']);

export const ORG_SUMMARY = object({ id: UUID, name: { type: 'string' }, display_name: { type: 'string' } }, ['id', 'name', 'display_name']);

export const ORGANIZATION = object({
  id: UUID, name: { type: 'string' }, display_name: { type: 'string' }, status: { type: 'string' }, notes: NULLABLE_STRING, created_at: TIMESTAMP,
}, ['id', 'name', 'display_name', 'created_at']);

export const MEMBERSHIP = object({
  organization_id: UUID, user_id: UUID, username: { type: 'string' }, full_name: { type: 'string' }, email: NULLABLE_STRING, joined_at: TIMESTAMP,
}, ['organization_id', 'user_id', 'joined_at']);

export const API_TOKEN = object({
  id: { type: 'string' }, user_id: UUID, name: { type: 'string' }, description: { type: 'string' }, token_hint: { type: 'string' },
  created_at: TIMESTAMP, last_used_at: NULLABLE_TIMESTAMP, revoked_at: NULLABLE_TIMESTAMP,
}, ['id', 'user_id', 'name', 'description', 'token_hint', 'created_at']);

export const API_TOKEN_CREATED: Schema = {
  ...API_TOKEN,
  properties: {
    ...(API_TOKEN.properties as Schema),
    token: { type: 'string', description: 'shown in this response only: the Bearer token and the S3 secret' },
    access_key_id: { type: 'string', description: 'the S3 access key id (= id)' },
    secret_access_key: { type: 'string', description: 'the S3 secret (= token)' },
  },
  required: ['token', 'id', 'name', 'description'],
};

export const REPOSITORY = object({
  id: UUID, organization_id: UUID, name: { type: 'string' }, description: { type: 'string' },
  visibility: { type: 'string', enum: ['public', 'private'] }, retention_days: { type: 'integer' },
  session_max_duration_days: { type: ['integer', 'null'] }, created_by_type: ACTOR_TYPE, created_by: { type: ['string', 'null'] }, created_at: TIMESTAMP,
}, ['id', 'organization_id', 'name', 'description', 'visibility', 'retention_days', 'created_at']);

export const REPOSITORY_WITH_ORG = object({
  id: UUID, name: { type: 'string' }, description: { type: 'string' }, visibility: { type: 'string', enum: ['public', 'private'] },
  created_at: TIMESTAMP, organization_slug: { type: 'string' }, organization_display_name: { type: 'string' },
}, ['id', 'name', 'description', 'visibility', 'created_at', 'organization_slug', 'organization_display_name']);

export const COMMIT_LOG = object({
  id: { type: 'string' }, committer: { type: 'string' }, committer_type: ACTOR_TYPE, committer_id: { type: ['string', 'null'] },
  approver: NULLABLE_STRING, approver_type: ACTOR_TYPE, approver_id: { type: ['string', 'null'] },
  message: { type: 'string' }, creation_date: TIMESTAMP, parents: { type: 'array', items: { type: 'string' } }, metadata: STRING_MAP,
  is_stale: { type: 'boolean' }, object_count: { type: 'integer' }, total_size: { type: 'integer' }, content_hash: { type: 'string' },
}, ['id', 'committer', 'message', 'creation_date', 'parents', 'metadata', 'is_stale']);

export const ENTRY = object({
  last_modified: TIMESTAMP, size: { type: 'integer' }, e_tag: { type: 'string' }, metadata: STRING_MAP, content_type: { type: 'string' },
  source_metadata: { type: ['object', 'null'], additionalProperties: true },
}, ['last_modified', 'size', 'e_tag', 'metadata', 'content_type']);

const CHANGE_STATUS = { type: 'string', enum: ['added', 'modified', 'removed'] } as const;

export const LISTING_ENTRY = object({
  path: { type: 'string' }, type: { type: 'string', enum: ['object', 'prefix'] }, entry: ENTRY, status: CHANGE_STATUS,
}, ['path', 'type']);

export const ENTRY_RECORD = object({ path: { type: 'string' }, entry: ENTRY }, ['path']);

export const COMMIT_ID_RESULT = object({ commit_id: { type: 'string' } }, ['commit_id']);

export const APPROVAL_REQUIRED = object({
  approval_required: { type: 'boolean' }, session_id: UUID, message: { type: 'string' }, api_url: { type: 'string' }, web_url: { type: 'string' },
}, ['approval_required', 'session_id', 'message', 'api_url', 'web_url']);

const PRINCIPAL_BASE = {
  id: UUID, organization_id: UUID, name: { type: 'string' }, description: { type: 'string' }, created_by_type: ACTOR_TYPE,
  created_by: { type: ['string', 'null'] }, created_by_name: NULLABLE_STRING, created_at: TIMESTAMP, last_used_at: NULLABLE_TIMESTAMP,
};
export const ROLE = object(PRINCIPAL_BASE, ['id', 'organization_id', 'name', 'description', 'created_at']);
export const AGENT = object({
  ...PRINCIPAL_BASE, metadata: STRING_MAP, inline_policy: { type: 'string' }, inline_policy_updated_at: NULLABLE_TIMESTAMP,
}, ['id', 'organization_id', 'name', 'description', 'created_at', 'metadata', 'inline_policy']);

export const GROUP = object({
  id: UUID, organization_id: UUID, name: { type: 'string' }, description: { type: 'string' }, created_by_type: ACTOR_TYPE,
  created_by: { type: ['string', 'null'] }, created_at: TIMESTAMP,
}, ['id', 'organization_id', 'name', 'description', 'created_at']);

export const GROUP_MEMBER = object({
  subject_type: { type: 'string', enum: ['user', 'group', 'role', 'agent'] }, subject_id: UUID, display_name: { type: 'string' },
  username: { type: 'string' }, added_at: TIMESTAMP,
}, ['subject_type', 'subject_id', 'added_at']);

export const ATTACHMENT = object({
  policy_id: UUID, policy_name: { type: 'string' }, is_builtin: { type: 'boolean' }, principal_type: { type: 'string', enum: ['user', 'group', 'role', 'agent'] },
  principal_id: UUID, principal_name: { type: 'string' }, attached_by_type: ACTOR_TYPE, attached_by: { type: ['string', 'null'] }, attached_at: TIMESTAMP,
}, ['policy_id', 'policy_name', 'principal_type', 'principal_id', 'attached_at']);

const POLICY_SUMMARY_FIELDS = {
  id: UUID, organization_id: UUID, name: { type: 'string' }, description: { type: 'string' }, is_builtin: { type: 'boolean' },
  created_at: TIMESTAMP, updated_at: TIMESTAMP, attachment_count: { type: 'integer' },
};
export const POLICY_SUMMARY = object(POLICY_SUMMARY_FIELDS, ['id', 'organization_id', 'name', 'is_builtin', 'created_at', 'updated_at', 'attachment_count']);
export const POLICY = object({
  ...POLICY_SUMMARY_FIELDS, policy_text: { type: 'string' }, created_by_type: ACTOR_TYPE, created_by: { type: ['string', 'null'] },
}, ['id', 'organization_id', 'name', 'policy_text', 'is_builtin', 'created_at', 'updated_at']);

export const EFFECTIVE_POLICY = object({
  policy_id: { type: 'string' }, policy_name: { type: 'string' }, is_builtin: { type: 'boolean' },
  source: { type: 'string', enum: ['direct', 'group', 'inline'] }, source_name: { type: 'string' },
}, ['policy_id', 'policy_name', 'is_builtin', 'source', 'source_name']);

export const EFFECTIVE_GROUP = object({
  group_id: UUID, group_name: { type: 'string' }, description: { type: 'string' },
  source: { type: 'string', enum: ['direct', 'group'] }, source_name: { type: 'string' },
}, ['group_id', 'group_name', 'description', 'source', 'source_name']);

export const VALIDATION_RESULT = object({
  valid: { type: 'boolean' },
  errors: { type: 'array', items: object({ line: { type: 'integer' }, column: { type: 'integer' }, message: { type: 'string' } }, ['line', 'column', 'message']) },
}, ['valid', 'errors']);

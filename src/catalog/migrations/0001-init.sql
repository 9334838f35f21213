-- Trove catalog, version 1. Runs unchanged on PostgreSQL 15+ and PGlite.
-- Paths use the "C" collation so that ordering is by UTF-8 bytes, as S3 lists keys.

CREATE TABLE settings (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organizations (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  display_name  text NOT NULL,
  status        text NOT NULL DEFAULT 'active',
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX organizations_name ON organizations (name) WHERE deleted_at IS NULL;

-- Every actor and grouping: users are global, the other kinds belong to one organization.
CREATE TABLE principals (
  id              uuid PRIMARY KEY,
  type            text NOT NULL CHECK (type IN ('user', 'role', 'agent', 'group')),
  org_id          uuid REFERENCES organizations (id),
  name            text NOT NULL,
  email           text,
  full_name       text NOT NULL DEFAULT '',
  password_hash   text,
  description     text NOT NULL DEFAULT '',
  metadata        jsonb NOT NULL DEFAULT '{}',
  inline_policy   text,
  inline_policy_updated_at timestamptz,
  is_admin        boolean NOT NULL DEFAULT false,
  status          text NOT NULL DEFAULT 'active',
  created_by_type text,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz,
  deleted_at      timestamptz,
  CHECK ((type = 'user') = (org_id IS NULL))
);
CREATE UNIQUE INDEX principals_user_name ON principals (name) WHERE type = 'user';
CREATE UNIQUE INDEX principals_user_email ON principals (lower(email)) WHERE type = 'user' AND email IS NOT NULL;
CREATE UNIQUE INDEX principals_org_name ON principals (org_id, type, name) WHERE type <> 'user' AND deleted_at IS NULL;

CREATE TABLE memberships (
  org_id     uuid NOT NULL REFERENCES organizations (id),
  user_id    uuid NOT NULL REFERENCES principals (id),
  joined_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);

CREATE TABLE group_members (
  group_id      uuid NOT NULL REFERENCES principals (id),
  subject_type  text NOT NULL,
  subject_id    uuid NOT NULL REFERENCES principals (id),
  added_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, subject_id)
);

CREATE TABLE policies (
  id              uuid PRIMARY KEY,
  org_id          uuid NOT NULL REFERENCES organizations (id),
  name            text NOT NULL,
  description     text NOT NULL DEFAULT '',
  policy_text     text NOT NULL,
  is_builtin      boolean NOT NULL DEFAULT false,
  created_by_type text,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX policies_org_name ON policies (org_id, name);

CREATE TABLE policy_attachments (
  policy_id        uuid NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
  principal_type   text NOT NULL,
  principal_id     uuid NOT NULL REFERENCES principals (id),
  attached_by_type text,
  attached_by      uuid,
  attached_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, principal_id)
);
CREATE INDEX policy_attachments_principal ON policy_attachments (principal_id);

-- The key id is the S3 access key id; the token (Bearer token and S3 secret) is kept
-- encrypted for SigV4 and as an HMAC for Bearer look-up, never in the clear.
CREATE TABLE api_keys (
  id              text PRIMARY KEY,
  principal_id    uuid NOT NULL REFERENCES principals (id),
  name            text NOT NULL,
  description     text NOT NULL DEFAULT '',
  token_lookup    text NOT NULL UNIQUE,
  token_encrypted text NOT NULL,
  token_hint      text NOT NULL,
  session_id      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz,
  expires_at      timestamptz,
  revoked_at      timestamptz
);
CREATE INDEX api_keys_principal ON api_keys (principal_id, id);

CREATE TABLE repositories (
  id                  uuid PRIMARY KEY,
  org_id              uuid NOT NULL REFERENCES organizations (id),
  name                text NOT NULL,
  description         text NOT NULL DEFAULT '',
  visibility          text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public')),
  retention_days      integer NOT NULL DEFAULT 14,
  session_max_duration_days integer,
  created_by_type     text,
  created_by          uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  -- The head of the linear history: committing locks this row.
  head_seq            bigint NOT NULL DEFAULT 0,
  head_commit_id      text,
  content_hash        text NOT NULL,
  object_count        bigint NOT NULL DEFAULT 0,
  total_size          bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX repositories_org_name ON repositories (org_id, name) WHERE deleted_at IS NULL;

CREATE TABLE commits (
  repo_id          uuid NOT NULL REFERENCES repositories (id),
  seq              bigint NOT NULL,
  id               text COLLATE "C" NOT NULL UNIQUE,
  parent_id        text,
  message          text NOT NULL,
  metadata         jsonb NOT NULL DEFAULT '{}',
  committer_type   text,
  committer_id     uuid,
  committer_name   text NOT NULL DEFAULT '',
  approver_type    text,
  approver_id      uuid,
  approver_name    text,
  session_id       uuid,
  content_hash     text NOT NULL,
  object_count     bigint NOT NULL,
  total_size       bigint NOT NULL,
  change_count     integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo_id, seq)
);

-- The temporal table: a version of a path is visible at commits from_seq <= N < to_seq.
CREATE TABLE entries (
  repo_id          uuid NOT NULL,
  path             text COLLATE "C" NOT NULL,
  from_seq         bigint NOT NULL,
  to_seq           bigint,
  address          text NOT NULL,
  size             bigint NOT NULL,
  etag             text NOT NULL,
  content_type     text NOT NULL,
  user_metadata    jsonb NOT NULL DEFAULT '{}',
  http_headers     jsonb NOT NULL DEFAULT '{}',
  checksums        jsonb NOT NULL DEFAULT '{}',
  source_metadata  jsonb,
  last_modified    timestamptz NOT NULL,
  PRIMARY KEY (repo_id, path, from_seq)
);
CREATE UNIQUE INDEX entries_live ON entries (repo_id, path) WHERE to_seq IS NULL;
CREATE INDEX entries_born ON entries (repo_id, from_seq, path);
CREATE INDEX entries_ended ON entries (repo_id, to_seq, path) WHERE to_seq IS NOT NULL;
CREATE INDEX entries_address ON entries (address);

CREATE TABLE sessions (
  id              uuid PRIMARY KEY,
  repo_id         uuid NOT NULL REFERENCES repositories (id),
  base_seq        bigint NOT NULL,
  status          text NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'pending_approval', 'committed', 'rolled_back')),
  owner_type      text,
  owner_id        uuid,
  owner_name      text NOT NULL DEFAULT '',
  needs_approval  boolean NOT NULL DEFAULT false,
  message         text,
  metadata        jsonb,
  commit_id       text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz,
  ended_at        timestamptz
);
CREATE INDEX sessions_repo ON sessions (repo_id, status);

-- A staged put (address set) or delete (address NULL) of one path in one session.
CREATE TABLE staged_changes (
  session_id       uuid NOT NULL REFERENCES sessions (id),
  path             text COLLATE "C" NOT NULL,
  address          text,
  size             bigint,
  etag             text,
  content_type     text,
  user_metadata    jsonb,
  http_headers     jsonb,
  checksums        jsonb,
  source_metadata  jsonb,
  staged_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, path)
);
CREATE INDEX staged_changes_address ON staged_changes (address) WHERE address IS NOT NULL;

-- Multipart uploads: durable across restarts. A completed upload's object is the
-- concatenation of its parts, addressed as 'upload:<id>' without copying bytes.
CREATE TABLE uploads (
  id             text PRIMARY KEY,
  repo_id        uuid NOT NULL REFERENCES repositories (id),
  session_id     uuid,
  path           text COLLATE "C" NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'aborted')),
  content_type   text,
  user_metadata  jsonb NOT NULL DEFAULT '{}',
  http_headers   jsonb NOT NULL DEFAULT '{}',
  checksum_algorithm text,
  -- Where a presigned single-part upload will put its bytes (S3 blob store).
  planned_address text,
  owner_id       uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  ended_at       timestamptz
);
CREATE INDEX uploads_repo_path ON uploads (repo_id, path, id) WHERE status = 'open';
CREATE INDEX uploads_planned_address ON uploads (planned_address) WHERE planned_address IS NOT NULL;

CREATE TABLE upload_parts (
  upload_id    text NOT NULL REFERENCES uploads (id),
  part_number  integer NOT NULL,
  address      text NOT NULL,
  size         bigint NOT NULL,
  etag         text NOT NULL,
  checksums    jsonb NOT NULL DEFAULT '{}',
  uploaded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (upload_id, part_number)
);
CREATE INDEX upload_parts_address ON upload_parts (address);

CREATE TABLE jobs (
  id           uuid PRIMARY KEY,
  type         text NOT NULL,
  repo_id      uuid,
  status       text NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'running', 'completed', 'failed', 'canceled')),
  payload      jsonb NOT NULL DEFAULT '{}',
  result       jsonb,
  error        text,
  attempts     integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_by_type text,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_runnable ON jobs (status, created_at) WHERE status IN ('pending', 'running');

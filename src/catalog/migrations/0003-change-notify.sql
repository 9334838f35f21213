-- Every gateway process keeps what authentication and authorization read on each request
-- (keys, principals, memberships, policies, groups) in memory. Any change to those tables
-- notifies every process on the channel trove_auth_changed, from the changing transaction
-- itself, so no code path can change them without the caches hearing of it. Columns that
-- change on every request (last_used_at) are left out, or the caches would never stay warm.
-- Channels are per database: the payload starts with the schema, so catalogs in other
-- schemas of the same database (other installations, tests) are told apart.
CREATE FUNCTION trove_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('trove_auth_changed', current_schema() || ':' || TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER api_keys_auth_changed
  AFTER UPDATE OF principal_id, token_lookup, token_encrypted, session_id, expires_at, revoked_at OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();
CREATE TRIGGER principals_auth_changed
  AFTER UPDATE OF type, org_id, name, email, full_name, inline_policy, is_admin, status, created_by, deleted_at OR DELETE ON principals
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();
CREATE TRIGGER organizations_auth_changed
  AFTER UPDATE OF name, display_name, status, deleted_at OR DELETE ON organizations
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();
CREATE TRIGGER memberships_auth_changed
  AFTER INSERT OR UPDATE OR DELETE ON memberships
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();
CREATE TRIGGER group_members_auth_changed
  AFTER INSERT OR UPDATE OR DELETE ON group_members
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();
CREATE TRIGGER policies_auth_changed
  AFTER INSERT OR UPDATE OR DELETE ON policies
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();
CREATE TRIGGER policy_attachments_auth_changed
  AFTER INSERT OR UPDATE OR DELETE ON policy_attachments
  FOR EACH STATEMENT EXECUTE FUNCTION trove_auth_changed();

-- The embedded catalog (one process owns it) also keeps each repository's row and latest
-- entries in memory, emptied when the repository changes: every commit moves its head, so one
-- row trigger hears every commit. It fires only where the session says the catalog has a
-- single process (PGlite sets trove.single_process): with PostgreSQL, reads always consult
-- the catalog so that every gateway process sees every commit, and commits pay no NOTIFY.
-- The payload ends in ':head' when only the head moved (a commit), ':row' otherwise.
CREATE FUNCTION trove_repository_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_columns text[] := ARRAY['head_seq', 'head_commit_id', 'content_hash', 'object_count', 'total_size'];
  kind text := 'row';
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - head_columns) = (to_jsonb(OLD) - head_columns) THEN
    kind := 'head';
  END IF;
  PERFORM pg_notify('trove_repository_changed',
    current_schema() || ':' || (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text || ':' || kind);
  RETURN NULL;
END $$;

CREATE TRIGGER repositories_changed
  AFTER INSERT OR UPDATE OR DELETE ON repositories
  FOR EACH ROW WHEN (current_setting('trove.single_process', true) = 'on')
  EXECUTE FUNCTION trove_repository_changed();

-- Browser sessions of POST /auth/login: the cookie's token is kept only as an HMAC under the
-- token look-up key (like API tokens), with an expiry; logout revokes it.
CREATE TABLE auth_sessions (
  id            uuid PRIMARY KEY,
  token_lookup  text NOT NULL UNIQUE,
  user_id       uuid NOT NULL REFERENCES principals (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);

-- Login attempts in fixed windows, per login name and per client address, shared by every
-- gateway process (so a limit holds however many there are).
CREATE TABLE login_attempts (
  subject       text NOT NULL,
  window_start  timestamptz NOT NULL,
  count         integer NOT NULL,
  PRIMARY KEY (subject, window_start)
);

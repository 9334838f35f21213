-- Fixed-window request counters per API key, shared by every gateway process.
CREATE TABLE rate_limits (
  key_id        text NOT NULL,
  window_start  timestamptz NOT NULL,
  count         integer NOT NULL,
  PRIMARY KEY (key_id, window_start)
);

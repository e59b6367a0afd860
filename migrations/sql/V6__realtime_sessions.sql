-- One-time session tokens (pst_...), the calls registry and session caps.

-- CORS: an organization's allowed browser origins live in organizations.settings
-- ({"allowed_origins": ["https://app.example.com", ...]}). A preflight carries no token, so it
-- asks whether any active organization allows the origin; this index answers that.
CREATE INDEX organizations_allowed_origins_idx
    ON organizations USING gin ((settings -> 'allowed_origins') jsonb_path_ops);

-- A pst_ token: pinned at minting to its provider, credential, policed session config and
-- end user; valid at most five minutes and usable once. Only a peppered HMAC of the token is
-- stored. consumed_at is set by the one UPDATE that wins the token.
CREATE TABLE session_tokens (
    id                   uuid PRIMARY KEY,
    token_hash           bytea       NOT NULL UNIQUE,
    org_id               uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    api_key_id           uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    provider             text        NOT NULL CHECK (provider IN ('openai', 'azure-openai', 'luna')),
    credential_id        uuid        NOT NULL REFERENCES provider_credentials (id) ON DELETE CASCADE,
    session              jsonb       NOT NULL,
    end_user             text,
    max_session_seconds  integer     CHECK (max_session_seconds > 0),
    request_id           text,
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    consumed_at          timestamptz,
    CHECK (expires_at > created_at AND expires_at <= created_at + interval '5 minutes')
);
CREATE INDEX session_tokens_expires_idx ON session_tokens (expires_at);

-- Every call proxied through POST /v1/realtime/calls. hangup_due_at is the persisted session
-- cap: every instance's scheduler picks due calls with FOR UPDATE SKIP LOCKED, so exactly one
-- hangs each up, also when the instance that proxied the call is gone.
CREATE TABLE realtime_calls (
    id                   uuid PRIMARY KEY,
    org_id               uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    session_token_id     uuid        NOT NULL UNIQUE,
    api_key_id           uuid        REFERENCES api_keys (id) ON DELETE SET NULL,
    provider             text        NOT NULL CHECK (provider IN ('openai', 'azure-openai', 'luna')),
    credential_id        uuid        REFERENCES provider_credentials (id) ON DELETE SET NULL,
    provider_call_id     text,
    end_user             text,
    request_id           text,
    started_at           timestamptz NOT NULL,
    max_session_seconds  integer     CHECK (max_session_seconds > 0),
    hangup_due_at        timestamptz,
    hangup_attempts      integer     NOT NULL DEFAULT 0,
    ended_at             timestamptz,
    end_reason           text        CHECK (end_reason IN ('max_session_seconds', 'hangup', 'already_ended',
                                                           'hangup_failed'))
);
CREATE INDEX realtime_calls_org_idx ON realtime_calls (org_id, started_at, id);
CREATE INDEX realtime_calls_due_idx ON realtime_calls (hangup_due_at)
    WHERE hangup_due_at IS NOT NULL AND end_reason IS NULL;

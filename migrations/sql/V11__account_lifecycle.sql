-- Account lifecycle: verified emails, password reset, TOTP MFA with recovery codes, an org's ---
-- MFA requirement, invitations by mail, and the mail outbox.
--
-- No secret is stored in plaintext: link tokens and recovery codes only as peppered HMACs, the
-- TOTP shared secret sealed (AES-256-GCM) under a platform data key that the key-encryption key
-- wraps, and the outbox holds what to send, never a link: a message is composed (and its link
-- token made) when it is sent.

ALTER TABLE users
    -- Accounts made before verification existed stay unverified: they verify from the console.
    ADD COLUMN email_verified_at   timestamptz,
    ADD COLUMN totp_secret         bytea,
    ADD COLUMN totp_enabled_at     timestamptz,
    -- The last RFC 6238 time step accepted: a code of that step or an earlier one is a replay.
    ADD COLUMN totp_last_step      bigint,
    -- An enrolment under way: its secret, until the first code confirms it.
    ADD COLUMN totp_pending_secret bytea,
    ADD CONSTRAINT users_totp_check CHECK ((totp_enabled_at IS NULL) = (totp_secret IS NULL));

ALTER TABLE organizations
    ADD COLUMN require_mfa boolean NOT NULL DEFAULT false;

-- Single-use, expiring links sent by mail: email verification and password reset.
CREATE TABLE account_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     text        NOT NULL CHECK (purpose IN ('email_verification', 'password_reset')),
    token_hash  bytea       NOT NULL UNIQUE,
    -- The address the link went to: verifying it verifies that address only.
    email       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at     timestamptz,
    -- A newer link of the same purpose replaces an unused older one.
    replaced_at timestamptz
);
CREATE INDEX account_tokens_open_idx ON account_tokens (user_id, purpose) WHERE used_at IS NULL AND replaced_at IS NULL;

CREATE TABLE mfa_recovery_codes (
    id         uuid PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX mfa_recovery_codes_user_idx ON mfa_recovery_codes (user_id);

-- An invitation also goes out by mail with a link of its own (made when the mail is sent, so that
-- the outbox never holds it); the inviter's link keeps working. Resending replaces the mailed one.
ALTER TABLE invitations
    ADD COLUMN mail_token_hash bytea UNIQUE,
    ADD COLUMN mailed_at       timestamptz,
    ADD COLUMN mail_count      integer NOT NULL DEFAULT 0;

-- Mail to send: kept until sent, so that it survives a restart and is retried with backoff. Every
-- instance sends; a row is taken with FOR UPDATE SKIP LOCKED, so exactly one sends it.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    kind            text        NOT NULL,
    recipient       text        NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    -- References only (ids), never a secret.
    payload         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    -- sent, skipped (nothing to send any more, e.g. no such account) or failed (attempts used up).
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
    finished_at     timestamptz,
    last_error      text
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'pending';

-- Data keys of the platform's own secrets (not a tenant's): wrapped by the key-encryption key like
-- the organizations' data keys, and re-wrapped by the same master-key rotation.
CREATE TABLE platform_data_keys (
    purpose      text PRIMARY KEY,
    wrapped_key  text        NOT NULL,
    kek_backend  text        NOT NULL,
    kek_version  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    rewrapped_at timestamptz
);

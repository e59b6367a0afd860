-- Envelope encryption: one data key per organization, wrapped by the key-encryption key
-- (Vault Transit or the local keyring). Deleting the organization deletes the row: its
-- credentials can never be decrypted again (crypto-shredding).
CREATE TABLE org_data_keys (
    org_id       uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    wrapped_key  text        NOT NULL,
    kek_backend  text        NOT NULL,
    kek_version  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    rewrapped_at timestamptz
);

CREATE TABLE provider_credentials (
    id                uuid PRIMARY KEY,
    org_id            uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    provider          text        NOT NULL CHECK (provider IN ('openai', 'azure-openai', 'luna', 'livekit', 'daily')),
    label             text        NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    config            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- AES-256-GCM: 12-byte nonce || ciphertext || 16-byte tag; the associated data binds it to org and id.
    secret_ciphertext bytea       NOT NULL,
    last4             text        NOT NULL,
    fingerprint       text        NOT NULL,
    is_default        boolean     NOT NULL DEFAULT false,
    created_by        uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL,
    rotated_at        timestamptz,
    verified_at       timestamptz,
    verification      text
);
CREATE INDEX provider_credentials_org_idx ON provider_credentials (org_id, provider, created_at);
CREATE UNIQUE INDEX provider_credentials_one_default ON provider_credentials (org_id, provider) WHERE is_default;

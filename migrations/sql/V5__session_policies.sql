-- Session policies: what an organization fixes (pinned) and lets its clients choose
-- (allowed_overrides) when brokering a provider's token, and the TTL bounds.
CREATE TABLE session_policies (
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    provider    text        NOT NULL CHECK (provider IN ('openai', 'azure-openai', 'luna', 'livekit', 'daily')),
    policy      jsonb       NOT NULL,
    updated_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, provider)
);

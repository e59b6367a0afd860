-- Quotas -----------------------------------------------------------------------------------

-- A plan's default limits: a request rate (a token bucket of rate_burst, refilled by rate_limit
-- every rate_window_seconds) and a monthly allowance of billable events.
CREATE TABLE plans (
    id                  text PRIMARY KEY CHECK (id ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    name                text    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    rate_limit          integer NOT NULL CHECK (rate_limit > 0),
    rate_window_seconds integer NOT NULL CHECK (rate_window_seconds BETWEEN 1 AND 86400),
    rate_burst          integer NOT NULL CHECK (rate_burst > 0),
    monthly_allowance   bigint  NOT NULL CHECK (monthly_allowance >= 0)
);
INSERT INTO plans (id, name, rate_limit, rate_window_seconds, rate_burst, monthly_allowance) VALUES
    ('free',       'Free',          60, 60,    60,      1000),
    ('pro',        'Pro',          600, 60,  1200,    100000),
    ('enterprise', 'Enterprise',  6000, 60, 12000,  10000000);

-- organizations.plan (V1) names a plan from now on.
ALTER TABLE organizations ADD CONSTRAINT organizations_plan_fkey FOREIGN KEY (plan) REFERENCES plans (id);

-- Per-organization overrides set by platform admins; a NULL keeps the plan's value.
CREATE TABLE org_quota_overrides (
    org_id              uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    rate_limit          integer CHECK (rate_limit > 0),
    rate_window_seconds integer CHECK (rate_window_seconds BETWEEN 1 AND 86400),
    rate_burst          integer CHECK (rate_burst > 0),
    monthly_allowance   bigint  CHECK (monthly_allowance >= 0),
    updated_by          uuid REFERENCES users (id) ON DELETE SET NULL,
    updated_at          timestamptz NOT NULL,
    CHECK ((rate_limit IS NULL) = (rate_window_seconds IS NULL) AND (rate_limit IS NULL) = (rate_burst IS NULL))
);

-- The monthly allowance is enforced here, not in Redis: one row per organization and UTC month,
-- raised by a conditional UPDATE (used + n <= allowance), so N allowed means exactly N, on any
-- number of instances. `used` counts settled events and reservations in flight.
CREATE TABLE allowance_counters (
    org_id  uuid   NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    period  text   NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    used    bigint NOT NULL CHECK (used >= 0),
    PRIMARY KEY (org_id, period)
);

-- Allowance taken for a billable request whose upstream call is in flight. Settling (the ledger
-- row commits) deletes it; releasing (the upstream failed) deletes it and gives the allowance
-- back; an instance that crashed in between leaves it to expire and be released by a sweeper.
CREATE TABLE allowance_reservations (
    id          uuid PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    period      text        NOT NULL,
    quantity    bigint      NOT NULL CHECK (quantity > 0),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX allowance_reservations_expiry_idx ON allowance_reservations (expires_at);

-- An allowance threshold (50, 80, 100 %) crossed, recorded once per organization and period.
CREATE TABLE usage_alerts (
    id                uuid PRIMARY KEY,
    org_id            uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    period            text        NOT NULL,
    threshold_percent smallint    NOT NULL CHECK (threshold_percent BETWEEN 1 AND 100),
    used              bigint      NOT NULL,
    allowance         bigint      NOT NULL,
    occurred_at       timestamptz NOT NULL,
    UNIQUE (org_id, period, threshold_percent)
);

-- Usage ledger -----------------------------------------------------------------------------

-- Prices are configuration: one row per provider, operation and credential source (the managed
-- rate is the provider's cost plus margin), valid from effective_from until effective_to.
CREATE TABLE price_book (
    id                uuid PRIMARY KEY,
    provider          text        NOT NULL,
    operation         text        NOT NULL,
    credential_source text        NOT NULL CHECK (credential_source IN ('own', 'managed', 'byok')),
    unit_price_micros bigint      NOT NULL CHECK (unit_price_micros >= 0),
    currency          char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    effective_from    timestamptz NOT NULL,
    effective_to      timestamptz,
    CHECK (effective_to IS NULL OR effective_to > effective_from),
    UNIQUE (provider, operation, credential_source, effective_from)
);
INSERT INTO price_book (id, provider, operation, credential_source, unit_price_micros, currency, effective_from)
SELECT gen_random_uuid(), p.provider, p.operation, s.source,
       CASE s.source WHEN 'managed' THEN p.managed_micros ELSE p.platform_micros END, 'USD', '2020-01-01T00:00:00Z'
FROM (VALUES
        ('openai',       'token.mint',   1000, 25000),
        ('openai',       'call.proxy',   1000, 25000),
        ('azure-openai', 'token.mint',   1000, 25000),
        ('azure-openai', 'call.proxy',   1000, 25000),
        ('luna',         'token.mint',   1000, 20000),
        ('luna',         'call.proxy',   1000, 20000),
        ('livekit',      'token.mint',    500,  2500),
        ('daily',        'token.mint',    500,  2500),
        ('daily',        'room.create',  2000, 10000)
     ) AS p (provider, operation, platform_micros, managed_micros)
CROSS JOIN (VALUES ('own'), ('byok'), ('managed')) AS s (source);

-- One append-only row per billable event. Amounts are integer micro-units of the currency.
-- A correction is a reversal: a row with the negated quantity that names the row it reverses.
-- No foreign key to organizations: billing records outlive a deleted tenant, like the audit log.
CREATE TABLE usage_ledger (
    seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id                uuid PRIMARY KEY,
    occurred_at       timestamptz NOT NULL,
    org_id            uuid        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('charge', 'reversal')),
    reverses_id       uuid        UNIQUE REFERENCES usage_ledger (id),
    api_key_id        uuid,
    credential_id     uuid,
    credential_source text        NOT NULL CHECK (credential_source IN ('own', 'managed', 'byok')),
    provider          text        NOT NULL,
    operation         text        NOT NULL,
    quantity          bigint      NOT NULL,
    unit_price_micros bigint      NOT NULL CHECK (unit_price_micros >= 0),
    amount_micros     bigint      NOT NULL,
    currency          char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    price_id          uuid        REFERENCES price_book (id),
    end_user          text        CHECK (length(end_user) BETWEEN 1 AND 256),
    request_id        text,
    idempotency_key   text,
    note              text        CHECK (length(note) <= 500),
    CHECK (amount_micros = quantity * unit_price_micros),
    CHECK ((kind = 'charge' AND reverses_id IS NULL AND quantity > 0)
        OR (kind = 'reversal' AND reverses_id IS NOT NULL AND quantity < 0))
);
CREATE INDEX usage_ledger_org_seq_idx ON usage_ledger (org_id, seq);
CREATE INDEX usage_ledger_org_time_idx ON usage_ledger (org_id, occurred_at);
CREATE INDEX usage_ledger_time_idx ON usage_ledger (occurred_at);

CREATE FUNCTION usage_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'usage_ledger is append-only: % is not allowed; correct with a reversing entry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER usage_ledger_no_update_delete
    BEFORE UPDATE OR DELETE ON usage_ledger
    FOR EACH ROW EXECUTE FUNCTION usage_ledger_append_only();
CREATE TRIGGER usage_ledger_no_truncate
    BEFORE TRUNCATE ON usage_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION usage_ledger_append_only();

-- Idempotency-Key of billable requests: the first result (encrypted under the organization's
-- data key) is returned to retries for 24 hours; a different request under the same key is
-- refused. in_progress rows older than a lease may be taken over (their instance died).
CREATE TABLE idempotency_keys (
    org_id              uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    idempotency_key     text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_fingerprint text        NOT NULL,
    state               text        NOT NULL CHECK (state IN ('in_progress', 'completed')),
    ledger_entry_id     uuid,
    result_ciphertext   bytea,
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    PRIMARY KEY (org_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- Webhooks ---------------------------------------------------------------------------------

-- The signing secret is kept encrypted under the organization's data key (it is needed to sign)
-- and shown once, at creation.
CREATE TABLE webhook_endpoints (
    id                uuid PRIMARY KEY,
    org_id            uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url               text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    description       text        CHECK (length(description) <= 200),
    events            text[]      NOT NULL,
    secret_ciphertext bytea       NOT NULL,
    secret_prefix     text        NOT NULL,
    created_by        uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_org_idx ON webhook_endpoints (org_id, created_at, id);

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    org_id           uuid        NOT NULL,
    event_id         uuid        NOT NULL,
    event_type       text        NOT NULL,
    payload          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at, id);

CREATE TABLE webhook_delivery_attempts (
    delivery_id   uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    attempted_at  timestamptz NOT NULL,
    status_code   integer,
    error         text,
    duration_ms   integer     NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

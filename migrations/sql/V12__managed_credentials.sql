-- Managed provider credentials and pass-through billing (DESIGN.md "Managed credentials"):
-- provider credentials that belong to the platform, which organizations with managed access
-- broker through when they have none of their own (or ask for it); the ledger bills such events
-- at the managed price (V3's price book) and marks them 'managed'. A platform-wide cap per
-- managed credential keeps one tenant from exhausting the platform's provider account.

-- Platform credentials ------------------------------------------------------------------------
-- The same fields as an organization's credential (V2), without an organization: secrets are
-- encrypted under a data key of the credential's own (platform_credential_data_keys), bound by the associated
-- data to the platform scope and the credential's id. One default per provider is what managed
-- access brokers through. The caps are the platform-wide limits of the credential: a token bucket
-- of requests_per_minute (Redis, exact) and requests_per_month (counted here, exact); NULL is none.
CREATE TABLE platform_credentials (
    id                  uuid PRIMARY KEY,
    provider            text        NOT NULL CHECK (provider IN ('openai', 'azure-openai', 'luna', 'livekit', 'daily')),
    label               text        NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    config              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    secret_ciphertext   bytea       NOT NULL,
    last4               text        NOT NULL,
    fingerprint         text        NOT NULL,
    is_default          boolean     NOT NULL DEFAULT false,
    requests_per_minute integer     CHECK (requests_per_minute > 0),
    requests_per_month  bigint      CHECK (requests_per_month >= 0),
    created_by          uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL,
    rotated_at          timestamptz,
    verified_at         timestamptz,
    verification        text
);
CREATE INDEX platform_credentials_provider_idx ON platform_credentials (provider, created_at);
CREATE UNIQUE INDEX platform_credentials_one_default ON platform_credentials (provider) WHERE is_default;
-- Few rows, rarely changed: every change drops every instance's cache of them.
CREATE TRIGGER platform_credentials_changed AFTER INSERT OR UPDATE OR DELETE
    ON platform_credentials FOR EACH STATEMENT EXECUTE FUNCTION latchkey_notify_change('platform_credential');

-- One data key per platform credential, wrapped by the key-encryption key like an organization's
-- (V2): deleting the credential deletes its key in the same transaction (crypto-shredding), and a
-- master-key rotation re-wraps these too. No foreign key: the key is committed on its own before
-- the credential's row, as an organization's is.
CREATE TABLE platform_credential_data_keys (
    credential_id uuid PRIMARY KEY,
    wrapped_key   text        NOT NULL,
    kek_backend   text        NOT NULL,
    kek_version   text        NOT NULL,
    created_at    timestamptz NOT NULL,
    rewrapped_at  timestamptz
);
CREATE TRIGGER platform_credential_data_keys_changed AFTER UPDATE OR DELETE
    ON platform_credential_data_keys FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('platform_credential_data_key', 'credential_id');

-- Managed access ------------------------------------------------------------------------------
-- From the plan (an organization on the 'managed' plan may use every provider's managed
-- credential) or switched on per provider by a platform admin.
ALTER TABLE plans ADD COLUMN managed_providers text[] NOT NULL DEFAULT '{}'
    CHECK (managed_providers <@ ARRAY['openai', 'azure-openai', 'luna', 'livekit', 'daily']);
INSERT INTO plans (id, name, rate_limit, rate_window_seconds, rate_burst, monthly_allowance, managed_providers)
VALUES ('managed', 'Managed', 600, 60, 1200, 100000, ARRAY['openai', 'azure-openai', 'luna', 'livekit', 'daily']);

CREATE TABLE org_managed_access (
    org_id     uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    provider   text        NOT NULL CHECK (provider IN ('openai', 'azure-openai', 'luna', 'livekit', 'daily')),
    granted_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, provider)
);
CREATE TRIGGER org_managed_access_changed AFTER INSERT OR UPDATE OR DELETE
    ON org_managed_access FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('managed_access', 'org_id');

-- The monthly cap of a managed credential -------------------------------------------------------
-- Exact like an organization's allowance (V10's leases): an instance leases a block of the
-- credential's month, counted as used at once, and hands requests out from memory; near the cap
-- every request gets an exact lease of its own, so at most requests_per_month events ever go
-- through, whatever the number of instances. A lease goes back with what its instance did not
-- hand out; a lease of an instance that died stays counted (the cap errs on the safe side by at
-- most that block) and its row is swept once it has expired.
CREATE TABLE managed_cap_counters (
    credential_id uuid   NOT NULL REFERENCES platform_credentials (id) ON DELETE CASCADE,
    period        text   NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    used          bigint NOT NULL CHECK (used >= 0),
    PRIMARY KEY (credential_id, period)
);

CREATE TABLE managed_cap_leases (
    id            uuid PRIMARY KEY,
    credential_id uuid        NOT NULL REFERENCES platform_credentials (id) ON DELETE CASCADE,
    period        text        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    instance_id   text        NOT NULL,
    quantity      bigint      NOT NULL CHECK (quantity > 0),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX managed_cap_leases_credential_idx ON managed_cap_leases (credential_id, period);
CREATE INDEX managed_cap_leases_expiry_idx ON managed_cap_leases (expires_at);

-- Takes a lease of the credential's monthly cap: p_quantity at least, or 0 when the cap cannot
-- hold that much. Far from the cap a block of up to p_block units (a quarter of what remains,
-- shared by the instances holding leases); closer than p_exact_below, exactly p_quantity. The cap
-- is read here, under the counter's row lock, so a lowered cap holds at once. Without a cap the
-- lease is just counted.
CREATE FUNCTION latchkey_managed_lease(p_id uuid, p_credential uuid, p_instance text, p_quantity bigint,
                                       p_block bigint, p_exact_below bigint, p_now timestamptz,
                                       p_expires timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_period    text := to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM');
    v_start     timestamptz := date_trunc('month', p_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    v_used      bigint;
    v_limit     bigint;
    v_remaining bigint;
    v_others    bigint;
    v_size      bigint;
BEGIN
    PERFORM 1 FROM platform_credentials WHERE id = p_credential;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    UPDATE managed_cap_counters SET used = used WHERE credential_id = p_credential AND period = v_period
    RETURNING used INTO v_used;
    IF NOT FOUND THEN
        -- The month's first lease (or the first since a cap was set): it starts from what the ledger
        -- billed through the credential this month so far.
        INSERT INTO managed_cap_counters AS c (credential_id, period, used)
        SELECT p_credential, v_period, coalesce(sum(l.quantity), 0) FROM usage_ledger l
        WHERE l.credential_id = p_credential AND l.credential_source = 'managed'
          AND l.occurred_at >= v_start AND l.occurred_at < v_start + interval '1 month'
        ON CONFLICT (credential_id, period) DO UPDATE SET used = c.used
        RETURNING c.used INTO v_used;
    END IF;
    SELECT requests_per_month INTO v_limit FROM platform_credentials WHERE id = p_credential;
    IF v_limit IS NULL THEN
        v_size := greatest(p_quantity, p_block);
    ELSE
        v_remaining := v_limit - v_used;
        IF v_remaining < p_quantity THEN
            RETURN 0;
        END IF;
        IF v_remaining < p_exact_below THEN
            v_size := p_quantity;
        ELSE
            SELECT count(DISTINCT instance_id) INTO v_others FROM managed_cap_leases
            WHERE credential_id = p_credential AND period = v_period AND expires_at > p_now
              AND instance_id <> p_instance;
            v_size := greatest(p_quantity, least(p_block, v_remaining / (4 * (v_others + 1))));
        END IF;
    END IF;
    UPDATE managed_cap_counters SET used = used + v_size WHERE credential_id = p_credential AND period = v_period;
    INSERT INTO managed_cap_leases (id, credential_id, period, instance_id, quantity, created_at, expires_at)
    VALUES (p_id, p_credential, v_period, p_instance, v_size, p_now, p_expires);
    RETURN v_size;
END;
$$;

-- Ends leases of the instance that holds them: p_unused[i] units of lease p_ids[i] were never
-- handed out and go back to the counter (at most the lease's quantity).
CREATE FUNCTION latchkey_return_managed_leases(p_ids uuid[], p_unused bigint[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_returned bigint;
BEGIN
    PERFORM 1 FROM managed_cap_counters c
    JOIN (SELECT DISTINCT credential_id, period FROM managed_cap_leases WHERE id = ANY (p_ids)) l
        ON l.credential_id = c.credential_id AND l.period = c.period
    ORDER BY c.credential_id, c.period
    FOR UPDATE OF c;
    WITH gone AS (
             DELETE FROM managed_cap_leases l
             USING unnest(p_ids, p_unused) AS u (id, unused)
             WHERE l.id = u.id
             RETURNING l.credential_id, l.period, least(greatest(u.unused, 0), l.quantity) AS unused),
         per_counter AS (SELECT credential_id, period, sum(unused) AS unused FROM gone GROUP BY credential_id, period),
         given_back AS (
             UPDATE managed_cap_counters c SET used = greatest(c.used - p.unused, 0)
             FROM per_counter p WHERE c.credential_id = p.credential_id AND c.period = p.period
             RETURNING p.unused)
    SELECT coalesce(sum(unused), 0) INTO v_returned FROM given_back;
    RETURN v_returned;
END;
$$;

-- One-time session tokens and calls through a managed credential ---------------------------------
-- A pst_ token is pinned to one credential: the organization's own or the platform's.
ALTER TABLE session_tokens ALTER COLUMN credential_id DROP NOT NULL;
ALTER TABLE session_tokens ADD COLUMN platform_credential_id uuid
    REFERENCES platform_credentials (id) ON DELETE CASCADE;
ALTER TABLE session_tokens ADD CONSTRAINT session_tokens_one_credential
    CHECK (num_nonnulls(credential_id, platform_credential_id) = 1);

-- A call keeps the credential it started with, to hang it up; the organization's view of a managed
-- call says "managed" and never names the platform's credential.
ALTER TABLE realtime_calls ADD COLUMN credential_source text NOT NULL DEFAULT 'own'
    CHECK (credential_source IN ('own', 'managed'));
ALTER TABLE realtime_calls ADD COLUMN platform_credential_id uuid
    REFERENCES platform_credentials (id) ON DELETE SET NULL;

-- credential.used of a managed credential ----------------------------------------------------------
-- Counted like any use (V10), marked managed: the linker writes the organization's event without
-- the platform credential's id, and the platform's own event with it.
ALTER TABLE credential_usage ADD COLUMN managed boolean NOT NULL DEFAULT false;

-- The group commit, as V10 made it, now marking uses of managed credentials in credential_usage.
CREATE OR REPLACE FUNCTION latchkey_commit(
    p_now            timestamptz,
    p_writer         text,
    p_kind           text[],
    p_ledger_id      uuid[],
    p_org            uuid[],
    p_api_key        uuid[],
    p_credential     uuid[],
    p_source         text[],
    p_provider       text[],
    p_operation      text[],
    p_quantity       bigint[],
    p_unit_price     bigint[],
    p_currency       text[],
    p_price_id       uuid[],
    p_end_user       text[],
    p_request_id     text[],
    p_idem_key       text[],
    p_idem_print     text[],
    p_idem_result    bytea[],
    p_lease          uuid[],
    p_occurred_at    timestamptz[]
) RETURNS TABLE (idx integer, outcome text, used_after bigint, monthly_allowance bigint)
LANGUAGE plpgsql AS $$
DECLARE
    n           integer := cardinality(p_kind);
    v_period    text := to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM');
    v_outcome   text[] := array_fill(NULL::text, ARRAY[n]);
    v_used      bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    v_allowance bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    v_claimed   integer[] := '{}';
    v_settled   boolean;
    v_billed    bigint;
    v_limit     bigint;
    r           record;
    j           integer;
BEGIN
    -- The batch's leases first, locked in id order: a lease is this commit lane's own (each lane of
    -- each instance leases apart), so nothing else waits here but the sweeper, which never returns
    -- a lease under a commit that is settling against it.
    PERFORM 1 FROM allowance_leases WHERE id = ANY (p_lease) ORDER BY id FOR NO KEY UPDATE;

    -- Validity at commit: a key revoked or an organization suspended before this point gets nothing.
    FOR r IN
        SELECT u.i, u.kind, o.status, k.id IS NOT NULL AND k.revoked_at IS NULL
                   AND (k.expires_at IS NULL OR k.expires_at > p_now) AS key_ok, u.key
        FROM unnest(p_kind, p_org, p_api_key) WITH ORDINALITY AS u (kind, org, key, i)
        LEFT JOIN organizations o ON o.id = u.org
        LEFT JOIN api_keys k ON k.id = u.key
    LOOP
        IF r.kind = 'audit' THEN
            v_outcome[r.i] := 'audited';
        ELSIF r.status IS DISTINCT FROM 'active' THEN
            v_outcome[r.i] := 'suspended';
        ELSIF r.key IS NOT NULL AND NOT r.key_ok THEN
            v_outcome[r.i] := 'revoked';
        END IF;
    END LOOP;

    -- Idempotency claims: still this request's, or lost (taken over after a timeout).
    FOR r IN
        SELECT u.i
        FROM unnest(p_org, p_api_key, p_idem_key, p_idem_print) WITH ORDINALITY AS u (org, key, ikey, print, i)
        JOIN idempotency_keys ik
            ON ik.org_id = u.org AND ik.api_key_id = u.key AND ik.idempotency_key = u.ikey
        WHERE ik.state = 'in_progress' AND ik.request_fingerprint = u.print
        ORDER BY u.org, u.key, u.ikey
        FOR UPDATE OF ik
    LOOP
        v_claimed := v_claimed || r.i::integer;
    END LOOP;
    FOR j IN 1 .. n LOOP
        IF p_idem_key[j] IS NOT NULL AND v_outcome[j] IS NULL AND NOT (j = ANY (v_claimed)) THEN
            v_outcome[j] := 'idempotency_lost';
        END IF;
    END LOOP;

    -- Leases: each lease settles its valid rows at once, only while it is live and holds them.
    FOR r IN
        SELECT u.lease, array_agg(u.i) AS rows, sum(u.qty) AS quantity
        FROM unnest(p_kind, p_lease, p_quantity) WITH ORDINALITY AS u (kind, lease, qty, i)
        WHERE u.kind = 'lease' AND v_outcome[u.i] IS NULL
        GROUP BY u.lease
        ORDER BY u.lease
    LOOP
        UPDATE allowance_leases SET used = used + r.quantity
        WHERE id = r.lease AND expires_at > p_now AND used + r.quantity <= quantity;
        v_settled := FOUND;
        FOR j IN 1 .. cardinality(r.rows) LOOP
            v_outcome[r.rows[j]] := CASE WHEN v_settled THEN 'committed' ELSE 'lease_expired' END;
        END LOOP;
    END LOOP;

    -- The period's billed usage per organization, for usage alerts: counted, less what live
    -- leases hold and have not billed.
    FOR r IN
        SELECT u.org, array_agg(u.i) AS rows
        FROM unnest(p_org) WITH ORDINALITY AS u (org, i)
        WHERE v_outcome[u.i] = 'committed'
        GROUP BY u.org
    LOOP
        SELECT c.used - coalesce((SELECT sum(l.quantity - l.used) FROM allowance_leases l
                                  WHERE l.org_id = c.org_id AND l.period = c.period), 0)
        INTO v_billed FROM allowance_counters c WHERE c.org_id = r.org AND c.period = v_period;
        SELECT coalesce(ov.monthly_allowance, p.monthly_allowance) INTO v_limit
        FROM organizations o JOIN plans p ON p.id = o.plan
        LEFT JOIN org_quota_overrides ov ON ov.org_id = o.id
        WHERE o.id = r.org;
        FOREACH j IN ARRAY r.rows LOOP
            v_used[j] := v_billed;
            v_allowance[j] := v_limit;
        END LOOP;
    END LOOP;

    INSERT INTO usage_ledger (id, occurred_at, org_id, kind, api_key_id, credential_id, credential_source, provider,
                              operation, quantity, unit_price_micros, amount_micros, currency, price_id, end_user,
                              request_id, idempotency_key)
    SELECT u.id, u.at, u.org, 'charge', u.key, u.cred, u.source, u.provider, u.operation, u.qty, u.price,
           u.qty * u.price, u.currency, u.price_id, u.end_user, u.request_id, u.ikey
    FROM unnest(p_ledger_id, p_occurred_at, p_org, p_api_key, p_credential, p_source, p_provider, p_operation,
                p_quantity, p_unit_price, p_currency, p_price_id, p_end_user, p_request_id, p_idem_key)
         WITH ORDINALITY AS u (id, at, org, key, cred, source, provider, operation, qty, price, currency, price_id,
                               end_user, request_id, ikey, i)
    WHERE v_outcome[u.i] = 'committed';

    UPDATE idempotency_keys ik SET state = 'completed', ledger_entry_id = u.id, result_ciphertext = u.result
    FROM unnest(p_ledger_id, p_org, p_api_key, p_idem_key, p_idem_result) WITH ORDINALITY AS u (id, org, key, ikey, result, i)
    WHERE u.ikey IS NOT NULL AND v_outcome[u.i] = 'committed'
      AND ik.org_id = u.org AND ik.api_key_id = u.key AND ik.idempotency_key = u.ikey;

    -- Every decryption counts, billed or not, in this writer's own row of the minute; a use of the
    -- platform's managed credential is marked so (V12), so that the organization's audit log never
    -- names the platform's credential.
    INSERT INTO credential_usage AS cu (minute, org_id, credential_id, provider, actor_type, actor_id, writer, uses,
                                        first_at, last_at, managed)
    SELECT date_trunc('minute', p_now), u.org, u.cred, min(u.provider), 'api_key', u.key::text, p_writer, count(*),
           min(u.at), max(u.at), bool_or(u.source = 'managed')
    FROM unnest(p_org, p_credential, p_provider, p_api_key, p_occurred_at, p_source)
         AS u (org, cred, provider, key, at, source)
    WHERE u.cred IS NOT NULL AND u.key IS NOT NULL
    GROUP BY u.org, u.cred, u.key
    ORDER BY u.org, u.cred, u.key
    ON CONFLICT (minute, org_id, credential_id, actor_type, actor_id, writer) DO UPDATE
        SET uses = cu.uses + EXCLUDED.uses, first_at = least(cu.first_at, EXCLUDED.first_at),
            last_at = greatest(cu.last_at, EXCLUDED.last_at);

    RETURN QUERY SELECT s.i, v_outcome[s.i], v_used[s.i], v_allowance[s.i] FROM generate_subscripts(p_kind, 1) AS s (i);
END;
$$;

-- The write path of a billable request (DESIGN.md "The write path of a billable request"):
-- caches invalidated through NOTIFY, one group-committed function call per batch of requests,
-- allowance leases for providers with an upstream call, and an audit chain linked by one
-- leader instead of a lock taken by every request.

-- Cache invalidation ---------------------------------------------------------------------
-- Every instance LISTENs on latchkey_changes and drops what a payload names. The triggers sit
-- on the tables, so no code path (nor an operator's manual UPDATE) can forget to notify, and a
-- notification is delivered only when its transaction commits: caches are evicted after
-- commit, never before. Payloads are '<kind>:<id>'.
CREATE FUNCTION latchkey_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_data record;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify('latchkey_changes', TG_ARGV[0] || ':*');
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        row_data := OLD;
    ELSE
        row_data := NEW;
    END IF;
    PERFORM pg_notify('latchkey_changes', TG_ARGV[0] || ':' || (to_jsonb(row_data) ->> TG_ARGV[1]));
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_keys_changed AFTER UPDATE OF revoked_at, expires_at, scopes, rate_limit_per_minute OR DELETE
    ON api_keys FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('api_key', 'id');
CREATE TRIGGER api_key_secrets_changed AFTER UPDATE OF expires_at, secret_hash OR DELETE
    ON api_key_secrets FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('api_key', 'api_key_id');
CREATE TRIGGER organizations_changed AFTER UPDATE OF status, plan, settings OR DELETE
    ON organizations FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('org', 'id');
CREATE TRIGGER org_quota_overrides_changed AFTER INSERT OR UPDATE OR DELETE
    ON org_quota_overrides FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('org', 'org_id');
CREATE TRIGGER plans_changed AFTER INSERT OR UPDATE OR DELETE
    ON plans FOR EACH STATEMENT EXECUTE FUNCTION latchkey_notify_change('org');
CREATE TRIGGER price_book_changed AFTER INSERT OR UPDATE OR DELETE
    ON price_book FOR EACH STATEMENT EXECUTE FUNCTION latchkey_notify_change('prices');
CREATE TRIGGER session_policies_changed AFTER INSERT OR UPDATE OR DELETE
    ON session_policies FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('policy', 'org_id');
CREATE TRIGGER provider_credentials_changed AFTER INSERT OR UPDATE OF config, secret_ciphertext, is_default OR DELETE
    ON provider_credentials FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('credential', 'org_id');
CREATE TRIGGER org_data_keys_changed AFTER UPDATE OR DELETE
    ON org_data_keys FOR EACH ROW EXECUTE FUNCTION latchkey_notify_change('data_key', 'org_id');

-- The ledger's price_id FK took a KEY SHARE lock on a hot price_book row per insert; prices are
-- configuration that is superseded (effective_to), never deleted, so the row stays anyway.
ALTER TABLE usage_ledger DROP CONSTRAINT usage_ledger_price_id_fkey;
CREATE FUNCTION price_book_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'price_book rows are superseded with effective_to, never deleted: the ledger names them'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER price_book_no_delete BEFORE DELETE ON price_book
    FOR EACH ROW EXECUTE FUNCTION price_book_no_delete();

-- Idempotency records belong to the API key that made the request: another key of the same
-- organization never replays them (security review F12).
DELETE FROM idempotency_keys WHERE state = 'in_progress';
ALTER TABLE idempotency_keys ADD COLUMN api_key_id uuid;
UPDATE idempotency_keys k SET api_key_id = l.api_key_id FROM usage_ledger l WHERE l.id = k.ledger_entry_id;
DELETE FROM idempotency_keys WHERE api_key_id IS NULL;
ALTER TABLE idempotency_keys ALTER COLUMN api_key_id SET NOT NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (org_id, api_key_id, idempotency_key);

-- Allowance leases -----------------------------------------------------------------------
-- A request takes its allowance before its work (a provider call must not happen for a request
-- that cannot be billed) without a database round trip: an instance leases a block of an
-- organization's allowance (counted as used in allowance_counters at once) and hands it out from
-- memory; each billed event settles its units against its lease in the commit batch, and only
-- while the lease is live. Near exhaustion a lease is exactly one request's quantity. Unused units
-- go back when the lease is returned or, for an instance that died, once it has expired. Leases
-- replace V3's allowance_reservations, and no commit takes the organization's counter row lock.
CREATE TABLE allowance_leases (
    id          uuid PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    period      text        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    instance_id text        NOT NULL,
    quantity    bigint      NOT NULL CHECK (quantity > 0),
    used        bigint      NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= quantity),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX allowance_leases_org_idx ON allowance_leases (org_id, period);
CREATE INDEX allowance_leases_expiry_idx ON allowance_leases (expires_at);

UPDATE allowance_counters c SET used = greatest(c.used - r.quantity, 0)
FROM (SELECT org_id, period, sum(quantity) AS quantity FROM allowance_reservations GROUP BY org_id, period) r
WHERE c.org_id = r.org_id AND c.period = r.period;
DROP TABLE allowance_reservations;

-- Audit chain: pending rows, one linker, signed checkpoints ----------------------------------
-- An audit row is written here, in the transaction of the action it records; one leader
-- instance (advisory lock) appends pending rows to audit_events in order, computing the chain.
CREATE TABLE audit_pending (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    occurred_at  timestamptz NOT NULL,
    org_id       uuid,
    actor_type   text        NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system', 'anonymous')),
    actor_id     text,
    action       text        NOT NULL,
    target_type  text,
    target_id    text,
    outcome      text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    ip           text,
    user_agent   text,
    request_id   text,
    details      jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_pending_org_idx ON audit_pending (org_id, id);

-- The linker signs the chain head every so often with a key that is not in the database
-- (derived from the master key, or Vault Transit's HMAC), so that someone holding the
-- application's database login cannot rewrite history and recompute the chain unnoticed.
CREATE TABLE audit_checkpoints (
    seq        bigint PRIMARY KEY,
    hash       text        NOT NULL,
    signed_at  timestamptz NOT NULL,
    key_id     text        NOT NULL,
    signature  text        NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_seals_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seals_append_only();

-- A retention seal is signed like a checkpoint: a seal written without the key is refused by
-- verification, so a forged seal cannot excuse the rows it pretends to cover.
ALTER TABLE audit_seals ADD COLUMN key_id text;
ALTER TABLE audit_seals ADD COLUMN signature text;

-- credential.used, aggregated: one row per minute, credential and actor counts every decryption
-- of a credential for use (the ledger keeps each billed event's own row). The linker turns each
-- closed minute into one credential.used audit event with the count.
CREATE TABLE credential_usage (
    minute         timestamptz NOT NULL,
    org_id         uuid        NOT NULL,
    credential_id  uuid        NOT NULL,
    provider       text        NOT NULL,
    actor_type     text        NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
    actor_id       text        NOT NULL,
    -- Each writer (an instance's commit lane, or a transaction of its own) counts into a row of its
    -- own, so that concurrent commits never wait for each other's row lock; the minute's event sums them.
    writer         text        NOT NULL,
    uses           bigint      NOT NULL CHECK (uses > 0),
    first_at       timestamptz NOT NULL,
    last_at        timestamptz NOT NULL,
    PRIMARY KEY (minute, org_id, credential_id, actor_type, actor_id, writer)
);

-- The group commit ---------------------------------------------------------------------------
-- One call per batch of billable requests, in autocommit. Arrays are aligned: element i of each
-- describes request i. p_kind is 'lease' (the request's allowance was taken from a lease before
-- its work: settle it against the lease) or 'audit' (nothing billed: the credential was opened
-- for work that failed, which counts as a use all the same).
--
-- Rows are refused, in this order, when their organization is not active ('suspended'), their
-- API key is revoked or expired ('revoked'), their idempotency claim was lost ('idempotency_lost')
-- or their lease has expired ('lease_expired'); a refused row bills nothing and its caller hands
-- out nothing. Locks are taken in one global order (the lane's own leases by id, idempotency
-- claims, the writer's own usage row) and held only inside this call: the batches of several
-- commit lanes and instances touch no common row, never deadlock and never wait on a client round
-- trip. used_after is the period's billed usage for alerts.
CREATE FUNCTION latchkey_commit(
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

    -- Every decryption counts, billed or not, in this writer's own row of the minute.
    INSERT INTO credential_usage AS cu (minute, org_id, credential_id, provider, actor_type, actor_id, writer, uses,
                                        first_at, last_at)
    SELECT date_trunc('minute', p_now), u.org, u.cred, min(u.provider), 'api_key', u.key::text, p_writer, count(*),
           min(u.at), max(u.at)
    FROM unnest(p_org, p_credential, p_provider, p_api_key, p_occurred_at) AS u (org, cred, provider, key, at)
    WHERE u.cred IS NOT NULL AND u.key IS NOT NULL
    GROUP BY u.org, u.cred, u.key
    ORDER BY u.org, u.cred, u.key
    ON CONFLICT (minute, org_id, credential_id, actor_type, actor_id, writer) DO UPDATE
        SET uses = cu.uses + EXCLUDED.uses, first_at = least(cu.first_at, EXCLUDED.first_at),
            last_at = greatest(cu.last_at, EXCLUDED.last_at);

    RETURN QUERY SELECT s.i, v_outcome[s.i], v_used[s.i], v_allowance[s.i] FROM generate_subscripts(p_kind, 1) AS s (i);
END;
$$;

-- Leases ---------------------------------------------------------------------------------------
-- Takes a lease of an organization's allowance for the current period: p_quantity at least, or 0
-- when the allowance cannot hold that much. Far from exhaustion the lease is a block of up to
-- p_cap units, a quarter of what remains shared by the instances holding leases; closer than
-- p_exact_below to exhaustion it is exactly p_quantity, so that no instance sits on units that
-- another needs. The counter counts the whole lease as used at once.
CREATE FUNCTION latchkey_lease(p_id uuid, p_org uuid, p_instance text, p_quantity bigint, p_cap bigint,
                               p_exact_below bigint, p_now timestamptz, p_expires timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_period    text := to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM');
    v_used      bigint;
    v_limit     bigint;
    v_remaining bigint;
    v_others    bigint;
    v_size      bigint;
BEGIN
    INSERT INTO allowance_counters AS c (org_id, period, used) VALUES (p_org, v_period, 0)
    ON CONFLICT (org_id, period) DO UPDATE SET used = c.used
    RETURNING c.used INTO v_used;
    SELECT coalesce(ov.monthly_allowance, p.monthly_allowance) INTO v_limit
    FROM organizations o JOIN plans p ON p.id = o.plan
    LEFT JOIN org_quota_overrides ov ON ov.org_id = o.id
    WHERE o.id = p_org;
    v_remaining := coalesce(v_limit, 0) - v_used;
    IF v_remaining < p_quantity THEN
        RETURN 0;
    END IF;
    IF v_remaining < p_exact_below THEN
        v_size := p_quantity;
    ELSE
        SELECT count(DISTINCT instance_id) INTO v_others FROM allowance_leases
        WHERE org_id = p_org AND period = v_period AND expires_at > p_now AND instance_id <> p_instance;
        v_size := greatest(p_quantity, least(p_cap, v_remaining / (4 * (v_others + 1))));
    END IF;
    UPDATE allowance_counters SET used = used + v_size WHERE org_id = p_org AND period = v_period;
    INSERT INTO allowance_leases (id, org_id, period, instance_id, quantity, used, created_at, expires_at)
    VALUES (p_id, p_org, v_period, p_instance, v_size, 0, p_now, p_expires);
    RETURN v_size;
END;
$$;

-- Ends leases: what they did not settle goes back to the counters. Counters are locked first, in
-- org order, as the commit function does, so the two never deadlock.
CREATE FUNCTION latchkey_return_leases(p_ids uuid[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_returned bigint;
BEGIN
    PERFORM 1 FROM allowance_counters c
    JOIN (SELECT DISTINCT org_id, period FROM allowance_leases WHERE id = ANY (p_ids)) l
        ON l.org_id = c.org_id AND l.period = c.period
    ORDER BY c.org_id, c.period
    FOR UPDATE OF c;
    WITH gone AS (DELETE FROM allowance_leases WHERE id = ANY (p_ids) RETURNING org_id, period, quantity - used AS unused),
         per_counter AS (SELECT org_id, period, sum(unused) AS unused FROM gone GROUP BY org_id, period),
         given_back AS (
             UPDATE allowance_counters c SET used = greatest(c.used - p.unused, 0)
             FROM per_counter p WHERE c.org_id = p.org_id AND c.period = p.period
             RETURNING p.unused)
    SELECT coalesce(sum(unused), 0) INTO v_returned FROM given_back;
    RETURN v_returned;
END;
$$;

-- Signed retention seals and the application role's rights on the new tables ------------------
-- V9's retention function, now storing the seal's signature, made by the application with the
-- audit key that the database never sees (verification refuses an unsigned seal).
DROP FUNCTION audit_prune_sealed_prefix(bigint, timestamptz);
CREATE FUNCTION audit_prune_sealed_prefix(through_seq bigint, cutoff timestamptz, seal_key_id text,
                                          seal_signature text)
    RETURNS TABLE (pruned_from bigint, anchor_hash text, rows_deleted bigint)
    LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
    first_row bigint;
    last_seal bigint;
    sealed text;
    deleted_count bigint;
BEGIN
    IF through_seq IS NULL OR cutoff IS NULL OR cutoff > now() THEN
        RAISE EXCEPTION 'audit retention needs a sequence number and a cutoff that is not in the future'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF seal_key_id IS NULL OR seal_signature IS NULL THEN
        RAISE EXCEPTION 'audit retention needs the seal''s signature' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT min(seq) INTO first_row FROM audit_events;
    SELECT max(seq) INTO last_seal FROM audit_seals;
    IF first_row IS NULL OR through_seq < first_row OR through_seq <= coalesce(last_seal, 0) THEN
        RAISE EXCEPTION 'audit retention: no rows to prune through seq %', through_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (SELECT count(*) FROM audit_events WHERE seq BETWEEN first_row AND through_seq) <> through_seq - first_row + 1 THEN
        RAISE EXCEPTION 'audit retention: the chain has gaps before seq %', through_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM audit_events WHERE seq <= through_seq AND occurred_at >= cutoff) THEN
        RAISE EXCEPTION 'audit retention may only prune rows older than its cutoff (through seq %)', through_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT hash INTO sealed FROM audit_events WHERE seq = through_seq;
    INSERT INTO audit_seals (seq, hash, first_seq, occurred_before, sealed_at, key_id, signature)
    VALUES (through_seq, sealed, first_row, cutoff, now(), seal_key_id, seal_signature);
    PERFORM set_config('latchkey.audit_retention', 'on', true);
    DELETE FROM audit_events WHERE seq <= through_seq;
    GET DIAGNOSTICS deleted_count = ROW_COUNT;
    PERFORM set_config('latchkey.audit_retention', 'off', true);
    RETURN QUERY SELECT first_row, sealed, deleted_count;
END;
$$;
DO $search_path$
BEGIN
    EXECUTE format('ALTER FUNCTION audit_prune_sealed_prefix(bigint, timestamptz, text, text)'
        || ' SET search_path = pg_catalog, %I, pg_temp', current_schema());
END
$search_path$;
REVOKE ALL ON FUNCTION audit_prune_sealed_prefix(bigint, timestamptz, text, text) FROM PUBLIC;

-- The new tables got ordinary DML through V9's default privileges. Checkpoints are append-only.
DO $grants$
DECLARE
    application text := '${application_role}';
BEGIN
    IF application = '' OR application = current_user THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_prune_sealed_prefix(bigint, timestamptz, text, text) TO %I',
        application);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_checkpoints FROM %I', application);
END
$grants$;

-- Audit review, retention and organization suspension ---------------------------------------

-- Review filters: by actor, by target and by time, each in chain (seq) order.
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_target_idx ON audit_events (target_id, seq);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at, seq);

-- Retention seals: before a prefix of the chain is pruned, the hash of its last row is sealed
-- here, so verification starts from that anchor instead of the genesis hash. Append-only.
CREATE TABLE audit_seals (
    seq             bigint PRIMARY KEY,          -- the last pruned row: the chain continues at seq + 1
    hash            text        NOT NULL,        -- that row's hash: the next row's prev_hash
    first_seq       bigint      NOT NULL,        -- the first row this seal pruned
    occurred_before timestamptz NOT NULL,        -- the retention cutoff: every pruned row is older
    sealed_at       timestamptz NOT NULL,
    CHECK (first_seq <= seq),
    CHECK (occurred_before <= sealed_at)
);

CREATE FUNCTION audit_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_seals is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_seals_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit_seals_append_only();
CREATE TRIGGER audit_seals_no_truncate
    BEFORE TRUNCATE ON audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seals_append_only();

-- audit_events stays append-only, with one controlled exception: retention. A DELETE passes
-- only in a transaction that declared itself with SET LOCAL latchkey.audit_retention = 'on',
-- and only for a row that the latest seal covers (seq at or below the sealed seq) and that is
-- older than the seal's retention cutoff, which itself is not in the future. UPDATE and
-- TRUNCATE are always refused. (The trigger names of V1 stay, so operators' runbooks do too.)
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seal audit_seals%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('latchkey.audit_retention', true), '') = 'on' THEN
        SELECT * INTO seal FROM audit_seals ORDER BY seq DESC LIMIT 1;
        IF FOUND AND OLD.seq <= seal.seq AND OLD.occurred_at < seal.occurred_before
                AND seal.occurred_before <= now() THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_events retention may only delete sealed rows older than the retention (seq %)', OLD.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Suspension: when and why (the reason is for platform admins; the organization's audit log
-- records it too).
ALTER TABLE organizations ADD COLUMN suspended_at timestamptz;
ALTER TABLE organizations ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 500);
CREATE INDEX organizations_created_idx ON organizations (created_at, id);

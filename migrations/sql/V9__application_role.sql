-- Database roles ---------------------------------------------------------------------------
-- The migrations run as the schema owner (the role running this script). The application
-- connects as ${application_role}: ordinary DML on the tables it works with, but only SELECT and
-- INSERT on usage_ledger and audit_events (no UPDATE, DELETE or TRUNCATE, and without ownership
-- no ALTER TABLE ... DISABLE TRIGGER either), so that a leak of the application's credentials
-- cannot rewrite billing or audit history.
--
-- ${application_role} is the application's spring.datasource.username (or the role its data source
-- signs in as); `java -jar latchkey.jar migrate`, the Helm chart's job and docker-compose pass it
-- the same way. Where one role both migrates and serves (production allows it only with
-- LATCHKEY_DATABASE_ALLOW_SINGLE_ROLE=true), there is nothing to grant.

-- Audit retention is the one way audit rows may go, and the application may not DELETE them: it
-- asks this function, which runs as the owner and checks what it is asked. The seal is written
-- here, from the row's own hash, never by the caller; only a gap-free prefix of the chain that is
-- older than the cutoff, which is not in the future, is sealed and deleted (through V4's trigger,
-- which still demands the retention flag and a covering seal).
CREATE FUNCTION audit_prune_sealed_prefix(through_seq bigint, cutoff timestamptz)
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
    INSERT INTO audit_seals (seq, hash, first_seq, occurred_before, sealed_at)
    VALUES (through_seq, sealed, first_row, cutoff, now());
    PERFORM set_config('latchkey.audit_retention', 'on', true);
    DELETE FROM audit_events WHERE seq <= through_seq;
    GET DIAGNOSTICS deleted_count = ROW_COUNT;
    PERFORM set_config('latchkey.audit_retention', 'off', true);
    RETURN QUERY SELECT first_row, sealed, deleted_count;
END;
$$;

-- A SECURITY DEFINER function resolves names through its own search path: the system catalog,
-- this schema, and the caller's temporary schema last, so that no temporary table of the caller's
-- can stand in for audit_events or audit_seals.
DO $search_path$
BEGIN
    EXECUTE format('ALTER FUNCTION audit_prune_sealed_prefix(bigint, timestamptz) SET search_path = pg_catalog, %I, pg_temp',
        current_schema());
END
$search_path$;
REVOKE ALL ON FUNCTION audit_prune_sealed_prefix(bigint, timestamptz) FROM PUBLIC;

DO $grants$
DECLARE
    application text := '${application_role}';
    schema_name text := current_schema();
BEGIN
    IF application = '' OR application = current_user THEN
        RAISE NOTICE 'The application connects as %, the schema owner: there is no separate role to grant', current_user;
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = application) THEN
        RAISE EXCEPTION 'The application role % does not exist; create it first (CREATE ROLE ... LOGIN PASSWORD ...)',
            application;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema_name, application);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', schema_name, application);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', schema_name, application);
    -- Append-only: read and appended, never changed.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON usage_ledger, audit_events FROM %I',
        application);
    -- Seals are written only by audit_prune_sealed_prefix. (Guarded: a later migration of the
    -- audit chain may replace these tables.)
    IF to_regclass('audit_seals') IS NOT NULL THEN
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_seals FROM %I', application);
    END IF;
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_prune_sealed_prefix(bigint, timestamptz) TO %I', application);
    -- The chain head: read and moved forward by every append, never inserted or removed.
    IF to_regclass('audit_chain_head') IS NOT NULL THEN
        EXECUTE format('REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_chain_head FROM %I', application);
    END IF;
    -- The migration history is the owner's.
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %I FROM %I', '${flyway:table}',
        application);
    -- Tables and sequences of later migrations get ordinary DML by default; an append-only one
    -- revokes UPDATE and DELETE in its own migration, as above.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
        schema_name, application);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
        schema_name, application);
END
$grants$;

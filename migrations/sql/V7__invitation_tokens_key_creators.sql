-- Access control: invitations as single-use tokens, and every API key tied to the person ----
-- whose role it may never exceed.

-- An invitation is a single-use, expiring token: only a peppered HMAC of it is stored
-- (token_hash), like platform keys and session tokens. Whoever presents the token joins with
-- the invited role; the email is only the inviter's note of whom they meant. Accepted and
-- revoked invitations stay, so that a reused token is told apart from an unknown one.
ALTER TABLE invitations
    ADD COLUMN token_hash  bytea UNIQUE,
    ADD COLUMN expires_at  timestamptz,
    ADD COLUMN accepted_at timestamptz,
    ADD COLUMN accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN revoked_at  timestamptz;

-- Invitations made before tokens existed were claimed by whoever signed up with the email;
-- they have no token, can never be accepted, and show as expired so that the inviter can
-- invite again.
UPDATE invitations SET expires_at = created_at WHERE expires_at IS NULL;
ALTER TABLE invitations ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE invitations ADD CONSTRAINT invitations_expiry_check CHECK (expires_at >= created_at);
ALTER TABLE invitations ADD CONSTRAINT invitations_one_end_check
    CHECK (accepted_at IS NULL OR revoked_at IS NULL);

-- One open (neither accepted nor revoked) invitation per organization and email.
DROP INDEX invitations_org_email_key;
CREATE UNIQUE INDEX invitations_org_email_open_key ON invitations (org_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at);
-- A member's open invitations are revoked when they lose the right to make them.
CREATE INDEX invitations_inviter_idx ON invitations (org_id, invited_by)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- A key made by another key used to have no creator. Its creator is the person behind the key
-- that made it (found through the api_key.created audit rows, key by key up the chain), so that
-- the key loses what that person's role loses. Keys whose origin is no longer on record keep
-- created_by NULL; the application revokes them at start-up (a key nobody answers for).
DO $$
BEGIN
    LOOP
        UPDATE api_keys k SET created_by = maker.created_by
        FROM audit_events a
        JOIN api_keys maker ON maker.id::text = a.actor_id
        WHERE k.created_by IS NULL
          AND maker.created_by IS NOT NULL
          AND a.action = 'api_key.created'
          AND a.actor_type = 'api_key'
          AND a.target_type = 'api_key'
          AND a.target_id = k.id::text;
        EXIT WHEN NOT FOUND;
    END LOOP;
END;
$$;

-- The keys a member created, found when their role changes or they leave.
CREATE INDEX api_keys_creator_idx ON api_keys (org_id, created_by) WHERE revoked_at IS NULL;

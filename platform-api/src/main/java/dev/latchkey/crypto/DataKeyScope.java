package dev.latchkey.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Whose data key encrypts a record: an organization's (all of its secrets share it, and deleting
 * the organization destroys it), or one platform credential's (each has a key of its own, in the
 * reserved platform scope, so that deleting the credential destroys its key). The scope is part of
 * every ciphertext's associated data, so a ciphertext never decrypts in another scope, even under
 * the same key.
 */
public record DataKeyScope(Kind kind, UUID id) {

    public enum Kind { ORGANIZATION, PLATFORM_CREDENTIAL }

    public DataKeyScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static DataKeyScope organization(UUID orgId) {
        return new DataKeyScope(Kind.ORGANIZATION, orgId);
    }

    public static DataKeyScope platformCredential(UUID credentialId) {
        return new DataKeyScope(Kind.PLATFORM_CREDENTIAL, credentialId);
    }

    /** The table that holds a scope's wrapped keys, and its key column: fixed names, never input. */
    static String table(Kind kind) {
        return kind == Kind.ORGANIZATION ? "org_data_keys" : "platform_credential_data_keys";
    }

    static String keyColumn(Kind kind) {
        return kind == Kind.ORGANIZATION ? "org_id" : "credential_id";
    }

    /** The change-feed kind that the table's trigger sends (migrations V10 and V12). */
    static String changeKind(Kind kind) {
        return kind == Kind.ORGANIZATION ? "data_key" : "platform_credential_data_key";
    }

    /**
     * The GCM associated data: an organization's form is the one every stored ciphertext was made
     * with since V2; the platform's names its own scope, so the two can never be confused.
     */
    byte[] associatedData(String recordContext) {
        String scope = kind == Kind.ORGANIZATION ? "org=" + id : "platform:credential=" + id;
        return ("latchkey:v1:" + scope + ":" + recordContext).getBytes(StandardCharsets.UTF_8);
    }
}

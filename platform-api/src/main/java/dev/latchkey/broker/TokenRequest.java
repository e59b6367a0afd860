package dev.latchkey.broker;

/**
 * The body of {@code POST /v1/tokens}: one record per provider, in the provider's package, with
 * the provider's own fields and their Bean Validation constraints; a field that the provider does
 * not take is refused when the body is read ({@link TokenBroker#read}). These are the fields every
 * provider takes: {@code credential} is what {@code X-Credential-Id} may say instead (a stored
 * credential's id, or {@code managed} for the platform's managed credential).
 */
public interface TokenRequest {

    String provider();

    Integer ttlSeconds();

    String endUser();

    String credential();
}

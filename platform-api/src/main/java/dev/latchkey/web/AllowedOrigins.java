package dev.latchkey.web;

import java.util.UUID;

/**
 * Which browser origins may call the broker and session endpoints (CORS): a per-organization
 * setting, implemented where organizations live. A preflight carries no token, so it can only
 * ask whether some organization allows the origin; the request itself is then held to the
 * organization of its token.
 */
public interface AllowedOrigins {

    /** Whether any active organization allows this {@code Origin} header value. */
    boolean allowedBySomeOrganization(String origin);

    /** Whether this organization allows this {@code Origin} header value. */
    boolean allowedFor(UUID orgId, String origin);
}

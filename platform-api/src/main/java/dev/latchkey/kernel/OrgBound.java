package dev.latchkey.kernel;

import java.util.UUID;

/** A principal that acts for exactly one organization: a platform API key, a session token. */
public interface OrgBound {

    UUID orgId();
}

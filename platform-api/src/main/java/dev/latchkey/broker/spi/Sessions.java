package dev.latchkey.broker.spi;

import tools.jackson.databind.node.ObjectNode;

/** What the adapters do to a policed session before it goes upstream. */
public final class Sessions {

    private Sessions() {
    }

    /** A copy of {@code policed} with {@code field} set to {@code value} unless the policy or the client chose one. */
    public static ObjectNode withDefault(ObjectNode policed, String field, String value) {
        ObjectNode session = policed.deepCopy();
        if (!session.has(field)) {
            session.put(field, value);
        }
        return session;
    }
}

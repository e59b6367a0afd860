package dev.latchkey.audit;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.latchkey.kernel.Caller;

/**
 * One security-relevant action, as a capability reports it. {@code details} are short,
 * non-secret strings (names, ids, roles); never put a secret or a request body here.
 */
public record AuditEvent(String action, Outcome outcome, ActorType actorType, String actorId, UUID orgId,
        String targetType, String targetId, Map<String, String> details) {

    public enum Outcome { SUCCESS, FAILURE, DENIED }

    public enum ActorType { USER, API_KEY, SYSTEM, ANONYMOUS }

    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static Builder success(String action) {
        return new Builder(action, Outcome.SUCCESS);
    }

    public static Builder failure(String action) {
        return new Builder(action, Outcome.FAILURE);
    }

    public static Builder denied(String action) {
        return new Builder(action, Outcome.DENIED);
    }

    public static final class Builder {
        private final String action;
        private final Outcome outcome;
        private ActorType actorType = ActorType.SYSTEM;
        private String actorId;
        private UUID orgId;
        private String targetType;
        private String targetId;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(String action, Outcome outcome) {
            this.action = action;
            this.outcome = outcome;
        }

        public Builder by(Caller caller) {
            if (caller instanceof Caller.ApiKey key) {
                return actor(ActorType.API_KEY, key.apiKeyId().toString());
            }
            return actor(ActorType.USER, ((Caller.User) caller).userId().toString());
        }

        public Builder byUser(UUID userId) {
            return actor(ActorType.USER, userId.toString());
        }

        public Builder anonymous() {
            return actor(ActorType.ANONYMOUS, null);
        }

        private Builder actor(ActorType type, String id) {
            this.actorType = type;
            this.actorId = id;
            return this;
        }

        public Builder org(UUID orgId) {
            this.orgId = orgId;
            return this;
        }

        public Builder target(String type, Object id) {
            this.targetType = type;
            this.targetId = id == null ? null : id.toString();
            return this;
        }

        public Builder detail(String key, Object value) {
            if (value != null) {
                details.put(key, value.toString());
            }
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(action, outcome, actorType, actorId, orgId, targetType, targetId, details);
        }
    }
}

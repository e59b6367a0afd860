package dev.latchkey.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.kernel.PageCursor;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.ledger.UsageThresholdCrossed;

/**
 * An organization's webhook endpoints and their delivery log. The signing secret
 * ({@code whsec_...}) is generated here, shown once in the creation response and otherwise kept
 * encrypted under the organization's data key, for signing only.
 */
@Service
class WebhookService {

    static final Set<String> EVENT_TYPES = Set.of(UsageThresholdCrossed.TYPE);
    static final String SECRET_PREFIX = "whsec_";

    private final JdbcClient jdbc;
    private final EnvelopeEncryption encryption;
    private final WebhookUrlGuard guard;
    private final OrgAccess orgAccess;
    private final ApplicationEventPublisher publisher;
    private final SecureRandom random;
    private final Clock clock;
    private final int maxEndpointsPerOrg;

    WebhookService(JdbcClient jdbc, EnvelopeEncryption encryption, WebhookUrlGuard guard, OrgAccess orgAccess,
            ApplicationEventPublisher publisher, SecureRandom random, Clock clock,
            WebhooksProperties settings) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.guard = guard;
        this.orgAccess = orgAccess;
        this.publisher = publisher;
        this.random = random;
        this.clock = clock;
        this.maxEndpointsPerOrg = settings.maxEndpointsPerOrg();
    }

    record NewWebhook(String url, String description, Set<String> events) {
    }

    @Transactional
    public WebhookViews.Created create(Caller caller, UUID orgId, NewWebhook request) {
        orgAccess.require(caller, orgId, Permission.ORG_MANAGE);
        URI url = guard.validate(request.url());
        Set<String> events = request.events() == null || request.events().isEmpty() ? EVENT_TYPES
                : new TreeSet<>(request.events());
        for (String event : events) {
            if (!EVENT_TYPES.contains(event)) {
                throw LatchkeyException.invalidField("events", "unknown event '" + event + "'; known events are "
                        + EVENT_TYPES.stream().sorted().toList());
            }
        }
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "webhooks:" + orgId).query().singleRow();
        long existing = jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE org_id = :orgId")
                .param("orgId", orgId).query(Long.class).single();
        if (existing >= maxEndpointsPerOrg) {
            throw new LatchkeyException(ProblemType.CONFLICT, "An organization has at most " + maxEndpointsPerOrg
                    + " webhook endpoints; delete one first");
        }
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        String secretPrefix = secret.substring(0, SECRET_PREFIX.length() + 4);
        byte[] plaintext = secret.getBytes(StandardCharsets.UTF_8);
        byte[] sealed;
        try {
            sealed = encryption.encrypt(orgId, context(id), plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> eventList = events.stream().sorted().toList();
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, org_id, url, description, events, secret_ciphertext, secret_prefix,
                    created_by, created_at)
                VALUES (:id, :orgId, :url, :description, :events, :sealed, :secretPrefix, :createdBy, :now)""")
                .param("id", id).param("orgId", orgId).param("url", url.toString())
                .param("description", request.description())
                .param("events", eventList.toArray(String[]::new))
                .param("sealed", sealed).param("secretPrefix", secretPrefix)
                .param("createdBy", caller instanceof Caller.User user ? user.userId() : null)
                .param("now", Timestamp.from(now))
                .update();
        publisher.publishEvent(new WebhookEndpointChanged(WebhookEndpointChanged.Change.CREATED, caller, orgId, id,
                url.getHost(), eventList)); // audited in this transaction
        return new WebhookViews.Created(id, url.toString(), request.description(), eventList, secret, secretPrefix,
                now);
    }

    @Transactional(readOnly = true)
    public Page<WebhookViews.Endpoint> list(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.ORG_MANAGE);
        return Page.of(jdbc.sql("SELECT * FROM webhook_endpoints WHERE org_id = :orgId ORDER BY created_at, id")
                .param("orgId", orgId).query((rs, n) -> endpoint(rs)).list());
    }

    @Transactional(readOnly = true)
    public WebhookViews.Endpoint get(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.ORG_MANAGE);
        return find(orgId, id);
    }

    /** Deletes the endpoint and its delivery log; deliveries in flight are dropped. */
    @Transactional
    public void delete(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.ORG_MANAGE);
        WebhookViews.Endpoint endpoint = find(orgId, id);
        jdbc.sql("DELETE FROM webhook_endpoints WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId).param("id", id).update();
        publisher.publishEvent(new WebhookEndpointChanged(WebhookEndpointChanged.Change.DELETED, caller, orgId, id,
                URI.create(endpoint.url()).getHost(), null)); // audited in this transaction
    }

    /** The endpoint's deliveries, newest first, each with its attempts. */
    @Transactional(readOnly = true)
    public Page<WebhookViews.Delivery> deliveries(Caller caller, UUID orgId, UUID id, String cursor, int limit) {
        orgAccess.require(caller, orgId, Permission.ORG_MANAGE);
        find(orgId, id);
        int size = Page.limit(limit);
        PageCursor after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
        JdbcClient.StatementSpec query = after == null
                ? jdbc.sql("SELECT * FROM webhook_deliveries WHERE endpoint_id = :id"
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                : jdbc.sql("SELECT * FROM webhook_deliveries WHERE endpoint_id = :id"
                        + " AND (created_at, id) < (:afterTime, :afterId) ORDER BY created_at DESC, id DESC LIMIT :limit")
                        .param("afterTime", Timestamp.from(after.time())).param("afterId", after.id());
        Page<WebhookViews.Delivery> page = Page.slice(query.param("id", id).param("limit", size + 1)
                .query((rs, n) -> delivery(rs)).list(), size, d -> new PageCursor(d.createdAt(), d.id()).encode());
        Map<UUID, List<WebhookViews.Attempt>> attempts = attempts(page.items().stream()
                .map(WebhookViews.Delivery::id).toList());
        return page.map(d -> new WebhookViews.Delivery(d.id(), d.eventId(), d.eventType(), d.status(), d.attempts(),
                d.createdAt(), d.nextAttemptAt(), d.deliveredAt(), d.lastStatusCode(), d.lastError(),
                attempts.getOrDefault(d.id(), List.of())));
    }

    /** Queues the event for every endpoint of the organization subscribed to it, in the caller's transaction. */
    void enqueue(UUID orgId, UUID eventId, String eventType, String payload) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, payload, status,
                    attempts, next_attempt_at, created_at)
                SELECT gen_random_uuid(), e.id, e.org_id, :eventId, :eventType, :payload, 'pending', 0, :now, :now
                FROM webhook_endpoints e WHERE e.org_id = :orgId AND :eventType = ANY (e.events)
                ON CONFLICT (endpoint_id, event_id) DO NOTHING""")
                .param("eventId", eventId).param("eventType", eventType).param("payload", payload)
                .param("now", now).param("orgId", orgId)
                .update();
    }

    private WebhookViews.Endpoint find(UUID orgId, UUID id) {
        return jdbc.sql("SELECT * FROM webhook_endpoints WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId).param("id", id)
                .query((rs, n) -> endpoint(rs)).optional()
                .orElseThrow(() -> LatchkeyException.notFound("Webhook endpoint"));
    }

    private Map<UUID, List<WebhookViews.Attempt>> attempts(List<UUID> deliveryIds) {
        Map<UUID, List<WebhookViews.Attempt>> byDelivery = new LinkedHashMap<>();
        if (deliveryIds.isEmpty()) {
            return byDelivery;
        }
        jdbc.sql("SELECT * FROM webhook_delivery_attempts WHERE delivery_id IN (:ids) ORDER BY delivery_id, attempt")
                .param("ids", deliveryIds)
                .query((ResultSet rs) -> {
                    byDelivery.computeIfAbsent(rs.getObject("delivery_id", UUID.class), k -> new ArrayList<>())
                            .add(new WebhookViews.Attempt(rs.getInt("attempt"),
                                    rs.getTimestamp("attempted_at").toInstant(),
                                    (Integer) rs.getObject("status_code"), rs.getString("error"),
                                    rs.getInt("duration_ms")));
                });
        return byDelivery;
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String context(UUID endpointId) {
        return "webhook:" + endpointId;
    }

    private static WebhookViews.Endpoint endpoint(ResultSet rs) throws SQLException {
        return new WebhookViews.Endpoint(rs.getObject("id", UUID.class), rs.getString("url"),
                rs.getString("description"), List.of((String[]) rs.getArray("events").getArray()),
                rs.getString("secret_prefix") + "...", rs.getTimestamp("created_at").toInstant());
    }

    private static WebhookViews.Delivery delivery(ResultSet rs) throws SQLException {
        return new WebhookViews.Delivery(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
                rs.getString("event_type"), rs.getString("status"), rs.getInt("attempts"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "next_attempt_at"),
                instant(rs, "delivered_at"), (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
                List.of());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}

package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.kernel.AuditedChange;
import dev.latchkey.kernel.Caller;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;

/** Changes published as {@link AuditedChange} events are on record exactly when the change commits. */
class AuditedChangesIT extends IntegrationTest {

    @Autowired
    private ApplicationEventPublisher events;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private JdbcClient jdbc;

    private record Renamed(Caller actor, UUID orgId) implements AuditedChange {
        @Override
        public String action() {
            return "organization.updated";
        }

        @Override
        public String targetType() {
            return "organization";
        }

        @Override
        public Object targetId() {
            return orgId;
        }

        @Override
        public Map<String, Object> details() {
            return AuditedChange.details("name", "Renamed by an event", "left_out", null);
        }
    }

    private static long recorded(UUID orgId, String action) throws SQLException {
        awaitAuditLinked();
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM audit_events WHERE org_id = ? AND action = ?")) {
            statement.setObject(1, orgId);
            statement.setString(2, action);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void givenAChangeThatCommits_whenItsEventIsPublished_thenTheAuditRowIsThere() throws SQLException {
        SignedUp owner = signUp();
        long before = recorded(owner.orgId(), "organization.updated");

        long pendingInTheTransaction = new TransactionTemplate(transactions).execute(status -> {
            events.publishEvent(new Renamed(new Caller.User(owner.userId(), owner.email(), false), owner.orgId()));
            // Written before the publisher's transaction ends, by that transaction: not after commit.
            return jdbc.sql("SELECT count(*) FROM audit_pending WHERE org_id = :org AND action = 'organization.updated'")
                    .param("org", owner.orgId()).query(Long.class).single();
        });

        assertThat(pendingInTheTransaction).isEqualTo(1);

        assertThat(recorded(owner.orgId(), "organization.updated")).isEqualTo(before + 1);
    }

    @Test
    void givenAChangeThatRollsBack_whenItsEventWasPublished_thenNoAuditRowIsLeft() throws SQLException {
        SignedUp owner = signUp();
        long before = recorded(owner.orgId(), "organization.updated");

        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            events.publishEvent(new Renamed(new Caller.User(owner.userId(), owner.email(), false), owner.orgId()));
            throw new IllegalStateException("the change fails after its event");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(recorded(owner.orgId(), "organization.updated")).isEqualTo(before);
    }

    @Test
    void givenAPolicyChange_whenMadeThroughTheApi_thenItIsAuditedInTheOrganization() throws SQLException {
        SignedUp owner = signUp();
        long before = recorded(owner.orgId(), "policy.changed");

        assertThat(owner.client().put("/v1/orgs/" + owner.orgId() + "/policies/openai",
                Map.of("allow_byok", false)).status()).isEqualTo(200);

        assertThat(recorded(owner.orgId(), "policy.changed")).isEqualTo(before + 1);
    }

    @Test
    void givenAWebhookEndpoint_whenCreatedAndDeletedThroughTheApi_thenBothAreAuditedInTheOrganization()
            throws SQLException {
        SignedUp owner = signUp();
        String path = "/v1/orgs/" + owner.orgId() + "/webhooks";

        String id = owner.client().post(path, Map.of("url", "http://127.0.0.1:9/hooks")).json().get("id").asString();
        assertThat(owner.client().delete(path + "/" + id).status()).isEqualTo(204);

        assertThat(recorded(owner.orgId(), "webhook.created")).isEqualTo(1);
        assertThat(recorded(owner.orgId(), "webhook.deleted")).isEqualTo(1);
    }
}

package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Drives every audited action of the platform through the API, checks that each is on record,
 * and searches every audit row (and the review endpoints' answers) for the secrets it used.
 */
class AuditedActionsIT extends IntegrationTest {

    @Test
    void givenEveryAuditedAction_whenTheAuditLogIsSearched_thenEachIsRecordedAndNoSecretIsInIt()
            throws SQLException, IOException {
        List<String> secrets = new ArrayList<>();
        // Accounts: signup, login success and failure, logout.
        SignedUp owner = signUp();
        secrets.add(owner.password());
        String orgPath = "/v1/orgs/" + owner.orgId();
        ApiClient secondSession = client();
        assertThat(secondSession.post("/v1/auth/login", Map.of("email", owner.email(), "password", owner.password()))
                .status()).isEqualTo(200);
        String wrongPassword = owner.password() + " but wrong";
        secrets.add(wrongPassword);
        assertThat(client().post("/v1/auth/login", Map.of("email", owner.email(), "password", wrongPassword))
                .status()).isEqualTo(401);
        assertThat(secondSession.post("/v1/auth/logout", null).status()).isEqualTo(204);

        // Memberships: invitation (revoked, and accepted with its token), role change, removal, leaving.
        Invited cancelledInvitation = invite(owner, randomEmail(), "viewer");
        secrets.add(cancelledInvitation.token());
        assertThat(owner.client().delete(orgPath + "/invitations/" + cancelledInvitation.id()).status())
                .isEqualTo(204);
        Invited accepted = invite(owner, randomEmail(), "developer");
        secrets.add(accepted.token());
        SignedUp invitee = signUp();
        secrets.add(invitee.password());
        assertThat(invitee.client().post("/v1/invitations/accept", Map.of("token", accepted.token())).status())
                .isEqualTo(200);
        SignedUp member = signUpMemberOf(owner, "admin");
        secrets.add(member.password());
        String membersKey = member.client().post(orgPath + "/api-keys",
                Map.of("name", "member's", "scopes", List.of("admin", "usage:read"))).json().get("key").asString();
        secrets.add(membersKey);
        assertThat(owner.client().patch(orgPath + "/members/" + member.userId(), Map.of("role", "developer")).status())
                .isEqualTo(200);
        assertThat(owner.client().delete(orgPath + "/members/" + member.userId()).status()).isEqualTo(204);
        assertThat(invitee.client().delete(orgPath + "/members/" + invitee.userId()).status()).isEqualTo(204);
        owner.client().patch(orgPath, Map.of("name", "Audited Org"));

        // A refused action.
        SignedUp viewer = signUpMemberOf(owner, "viewer");
        assertThat(viewer.client().post(orgPath + "/api-keys", Map.of("name", "nope", "scopes", List.of("admin")))
                .status()).isEqualTo(403);

        // API keys: create, rotate, revoke.
        ApiClient.Response created = owner.client().post(orgPath + "/api-keys",
                Map.of("name", "audited", "scopes", List.of("admin")));
        String key = created.json().get("key").asString();
        String keyId = created.json().get("id").asString();
        String rotatedKey = owner.client().post(orgPath + "/api-keys/" + keyId + "/rotate",
                Map.of("grace_seconds", 0)).json().get("key").asString();
        assertThat(owner.client().delete(orgPath + "/api-keys/" + keyId).status()).isEqualTo(204);
        secrets.addAll(List.of(key, rotatedKey, secretPart(key), secretPart(rotatedKey)));

        // Credentials: create two, rotate a secret, change the default, delete.
        String firstSecret = "sk-test-" + UUID.randomUUID().toString().replace("-", "");
        String secondSecret = "sk-test-" + UUID.randomUUID().toString().replace("-", "");
        String rotatedSecret = "sk-test-" + UUID.randomUUID().toString().replace("-", "");
        secrets.addAll(List.of(firstSecret, secondSecret, rotatedSecret));
        String firstCredential = createCredential(owner, firstSecret);
        String secondCredential = createCredential(owner, secondSecret);
        assertThat(owner.client().put(orgPath + "/credentials/" + firstCredential + "/secret",
                Map.of("secret", Map.of("api_key", rotatedSecret))).status()).isEqualTo(200);
        assertThat(owner.client().post(orgPath + "/credentials/" + secondCredential + "/default", null).status())
                .isEqualTo(200);
        assertThat(owner.client().delete(orgPath + "/credentials/" + firstCredential).status()).isEqualTo(204);

        // Platform administration: suspension, master-key rotation, admin reads.
        assertThat(platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/suspend",
                Map.of("reason", "audit trail test")).status()).isEqualTo(200);
        assertThat(platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/resume", null).status())
                .isEqualTo(200);
        assertThat(platformAdmin().post("/v1/admin/keys/rotate", null).status()).isEqualTo(200);
        assertThat(platformAdmin().get("/v1/admin/orgs?q=" + owner.orgId()).status()).isEqualTo(200);
        assertThat(platformAdmin().get("/v1/admin/audit-events?org_id=" + owner.orgId()).status()).isEqualTo(200);
        secrets.add(PLATFORM_ADMIN_PASSWORD);
        secrets.addAll(masterKeyMaterial());

        // Deleting an organization.
        String spareOrg = owner.client().post("/v1/orgs", Map.of("name", "Spare")).json().get("id").asString();
        assertThat(owner.client().delete("/v1/orgs/" + spareOrg).status()).isEqualTo(204);

        List<String> orgActions = actionsOf(platformAdmin().get("/v1/admin/audit-events?org_id=" + owner.orgId()
                + "&limit=200"));
        assertThat(orgActions).contains("user.signup", "organization.created", "membership.invited",
                "membership.invitation_cancelled", "membership.invitation_accepted", "api_key.scopes_reduced",
                "membership.role_changed", "membership.removed", "membership.left", "organization.renamed",
                "access.denied", "api_key.created", "api_key.rotated", "api_key.revoked", "credential.created",
                "credential.rotated", "credential.default_changed", "credential.deleted", "organization.suspended",
                "organization.resumed", "admin.audit_events_read");
        List<String> ownerActions = actionsOf(platformAdmin().get("/v1/admin/audit-events?actor=" + owner.userId()
                + "&limit=200"));
        assertThat(ownerActions).contains("auth.login", "auth.logout", "organization.deleted");
        assertThat(actionsOf(platformAdmin().get("/v1/admin/audit-events?target_id=" + owner.userId()
                + "&outcome=failure"))).containsExactly("auth.login");
        assertThat(actionsOf(platformAdmin().get("/v1/admin/audit-events?action=crypto.*&limit=1")))
                .containsExactly("crypto.master_key_rotated");
        assertThat(actionsOf(platformAdmin().get("/v1/admin/audit-events?action=admin.organizations_listed&limit=1")))
                .containsExactly("admin.organizations_listed");

        String everyAuditRow = everyAuditRow();
        assertThat(everyAuditRow).contains(owner.orgId().toString(), "credential.created");
        assertThat(secrets).allSatisfy(secret -> assertThat(everyAuditRow).doesNotContain(secret));
        List<String> reviewAnswers = List.of(
                owner.client().get(orgPath + "/audit-events?limit=200").body(),
                owner.client().get(orgPath + "/audit-events", "Accept", "text/csv").body(),
                platformAdmin().get("/v1/admin/audit-events?limit=200").body(),
                platformAdmin().get("/v1/admin/audit-events?org_id=" + owner.orgId(), "Accept", "text/csv").body());
        assertThat(secrets).allSatisfy(secret -> assertThat(reviewAnswers).noneMatch(body -> body.contains(secret)));
    }

    private String createCredential(SignedUp owner, String secret) {
        ApiClient.Response response = owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials",
                Map.of("provider", "openai", "label", "audited", "secret", Map.of("api_key", secret)));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private static List<String> actionsOf(ApiClient.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json().get("items").valueStream().map(event -> event.get("action").asString()).toList();
    }

    /** The random part of a key after its public lookup id: what must stay secret. */
    private static String secretPart(String key) {
        return key.substring("platform_".length() + 12);
    }

    /** The base64 key material of the generated local master key file (every version). */
    private static List<String> masterKeyMaterial() throws IOException {
        Path file = Path.of(TestInfrastructure.get().properties().get("latchkey.home"), "master.key");
        List<String> material = new ArrayList<>();
        Matcher base64 = Pattern.compile("[A-Za-z0-9+/]{40,}={0,2}").matcher(Files.readString(file));
        while (base64.find()) {
            material.add(base64.group());
        }
        assertThat(material).as("key material in %s", file).isNotEmpty();
        return material;
    }

    private static String everyAuditRow() throws SQLException {
        awaitAuditLinked();
        StringBuilder all = new StringBuilder();
        for (String table : List.of("audit_events", "audit_pending", "credential_usage", "audit_checkpoints")) {
            try (Connection connection = TestInfrastructure.get().connect();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                while (rs.next()) {
                    all.append(rs.getString(1)).append('\n');
                }
            }
        }
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT t::text FROM audit_seals t")) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
            }
        }
        return all.toString();
    }
}

package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;

class StatelessBearerIT extends IntegrationTest {

    @Test
    void givenAnApiKey_whenItCallsTheApi_thenNoConsoleSessionIsCreatedForIt() throws Exception {
        SignedUp owner = signUp();
        IssuedKey key = issueApiKey(owner, "admin");

        ApiClient.Response response = client().bearer(key.key()).get("/v1/orgs/" + owner.orgId());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.allHeaders("Set-Cookie")).doesNotContain("LATCHKEY_SESSION");
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM spring_session WHERE principal_name = ?")) {
            query.setString(1, key.id().toString());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).as("console sessions of the API key").isZero();
            }
        }
    }
}

package dev.latchkey.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;

/**
 * The bootstrap only creates the first platform admin; it never promotes an account that someone
 * registered with the configured email first. (That an instance starts again beside the admin it
 * created, every {@code SecondInstance} of the suite shows.)
 */
class PlatformAdminBootstrapIT extends IntegrationTest {

    @Test
    void givenAnAccountRegisteredWithTheBootstrapEmail_whenAnInstanceStarts_thenItRefusesToStartAndPromotesNobody() {
        SignedUp squatter = signUp();

        assertThatThrownBy(() -> SecondInstance.start(Map.of("latchkey.bootstrap-admin.email", squatter.email(),
                "latchkey.bootstrap-admin.password", "the operator's intended passphrase")))
                .hasStackTraceContaining("LATCHKEY_BOOTSTRAP_ADMIN_EMAIL names " + squatter.email())
                .hasStackTraceContaining("never promotes an existing one");

        ApiClient.Response login = client().post("/v1/auth/login",
                Map.of("email", squatter.email(), "password", squatter.password()));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("user").get("platform_admin").asBoolean()).isFalse();
        assertThat(client().post("/v1/auth/login", Map.of("email", squatter.email(),
                "password", "the operator's intended passphrase")).status()).isEqualTo(401);
    }
}

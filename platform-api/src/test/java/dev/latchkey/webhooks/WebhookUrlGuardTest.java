package dev.latchkey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.outbound.OutboundGuard;

class WebhookUrlGuardTest {

    private static final OutboundGuard OUTBOUND = new OutboundGuard(InetAddress::getAllByName);

    private final WebhookUrlGuard strict = new WebhookUrlGuard(OUTBOUND, false, true);
    private final WebhookUrlGuard forTests = new WebhookUrlGuard(OUTBOUND, true, false);

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://192.168.0.1/hook",
        "https://172.16.0.1/hook", "https://100.64.0.1/hook", "https://[::1]/hook", "https://[fd00::1]/hook",
        "https://localhost/hook", "https://0.0.0.0/hook", "https://169.254.169.254/hook"})
    void givenTheDefaultOperatorSettings_whenAUrlPointsInside_thenItIsRefused(String url) {
        assertThatThrownBy(() -> strict.validate(url)).isInstanceOf(LatchkeyException.class)
                .hasMessageStartingWith("url:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://localhost:9000/x"})
    void givenPrivateHostsAllowedByTheOperator_whenAUrlPointsAtOne_thenItIsAccepted(String url) {
        assertThat(forTests.validate(url).toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data", "http://[fe80::1]/hook", "http://0.0.0.0/hook",
        "http://224.0.0.1/hook"})
    void givenPrivateHostsAllowed_whenAUrlPointsAtALinkLocalUnspecifiedOrMulticastAddress_thenItIsStillRefused(
            String url) {
        assertThatThrownBy(() -> forTests.validate(url)).isInstanceOf(LatchkeyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.215.14/hook", "ftp://93.184.215.14/hook", "https://user:pw@93.184.215.14/",
        "https://93.184.215.14/hook#fragment", "not a url", "https:///nohost"})
    void givenHttpsRequired_whenTheUrlIsPlainHttpOtherSchemeOrMalformed_thenItIsRefused(String url) {
        assertThatThrownBy(() -> strict.validate(url)).isInstanceOf(LatchkeyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/hook", "https://hooks.example.invalid/latchkey"})
    void givenAPublicOrNotYetResolvableHost_whenValidated_thenItIsAccepted(String url) {
        assertThat(strict.validate(url).toString()).isEqualTo(url);
    }
}

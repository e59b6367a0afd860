package dev.latchkey.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.kernel.LatchkeyException;

class OutboundGuardTest {

    private static final HostResolver NO_LOOKUPS = host -> {
        throw new AssertionError("an address literal must not be looked up: " + host);
    };

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "[::1]", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]",
        "[64:ff9b::a00:5]", "[::a00:5]", "[2002:a9fe:a9fe::1]", "[2001:0:4136:e378:8000:63bf:80ff:fffe]",
        "[fe80::1]", "[fd00::1]", "169.254.169.254", "[2001:db8::1]", "[ff02::1]", "0.0.0.0", "[::]"})
    void givenAnAddressLiteralOfAnyInternalForm_whenVetted_thenRefusedWithoutAnyLookup(String host) {
        OutboundGuard guard = new OutboundGuard(NO_LOOKUPS);

        assertThatThrownBy(() -> guard.vet(host, OutboundGuard.Scope.PUBLIC_ONLY))
                .isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void givenANameWithOnePublicAndOneInternalAnswer_whenVetted_thenTheNameIsRefused() throws Exception {
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {
            InetAddress.getByName("93.184.215.14"), AddressClassifierTest.v6OrV4("::ffff:10.0.0.5")});

        assertThatThrownBy(() -> guard.vet("hooks.example.test", OutboundGuard.Scope.PUBLIC_ONLY))
                .isInstanceOf(RefusedAddressException.class)
                .satisfies(e -> assertThat(((RefusedAddressException) e).addressClass()).isEqualTo(AddressClass.PRIVATE));
    }

    @Test
    void givenPrivateNetworksAllowed_whenANameResolvesToLoopbackOrLinkLocal_thenOnlyLoopbackPasses() throws Exception {
        OutboundGuard loopback = new OutboundGuard(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        OutboundGuard metadata = new OutboundGuard(host -> new InetAddress[] {
            AddressClassifierTest.v6OrV4("::ffff:169.254.169.254")});

        assertThat(loopback.vet("hooks.example.test", OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED))
                .containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> metadata.vet("imds.example.test", OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED))
                .isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void givenANameThatDoesNotResolve_whenVetted_thenUnknownButAcceptedForAUrlThatMayResolveLater() {
        OutboundGuard guard = new OutboundGuard(host -> {
            throw new UnknownHostException(host);
        });

        assertThatThrownBy(() -> guard.vet("later.example.test", OutboundGuard.Scope.PUBLIC_ONLY))
                .isInstanceOf(UnknownHostException.class).isNotInstanceOf(RefusedAddressException.class);
        assertThatCode(() -> guard.requireAllowed("url", "later.example.test", OutboundGuard.Scope.PUBLIC_ONLY))
                .doesNotThrowAnyException();
    }

    @Test
    void givenARefusedHost_whenRequiredForAField_thenA400NamesTheFieldAndTheKindButNotTheAddress() {
        OutboundGuard guard = new OutboundGuard(host -> new InetAddress[] {
            AddressClassifierTest.v6OrV4("64:ff9b::a9fe:a9fe")});

        assertThatThrownBy(() -> guard.requireAllowed("config.endpoint", "x.openai.azure.com",
                OutboundGuard.Scope.PUBLIC_ONLY))
                .isInstanceOf(LatchkeyException.class)
                .hasMessage("config.endpoint: must not point at a link-local address")
                .satisfies(e -> assertThat(((LatchkeyException) e).fieldProblems())
                        .extracting(p -> p.field()).containsExactly("config.endpoint"));
    }
}

package dev.latchkey.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238's own test vectors (SHA-1), the drift window, replays and the otpauth URI. */
class TotpTest {

    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"59, 287082", "1111111109, 081804", "1111111111, 050471", "1234567890, 005924",
        "2000000000, 279037", "20000000000, 353130"})
    void givenTheRfcSecret_whenComputingACode_thenItIsTheRfcsSixDigitCode(long epochSeconds, String code) {
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(epochSeconds)))).isEqualTo(code);
    }

    @Test
    void givenACodeOfTheStepBeforeOrAfter_whenMatched_thenItIsAcceptedForClockDrift() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now, null)).hasValue(step - 1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now, null)).hasValue(step + 1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), now, null)).isEmpty();
    }

    @Test
    void givenAStepAlreadyAccepted_whenItsCodeOrAnOlderOneComesAgain_thenItIsRefused() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step), now, step)).isEmpty();
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now, step)).isEmpty();
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now, step)).hasValue(step + 1);
    }

    @Test
    void givenSomethingThatIsNotSixDigits_whenMatched_thenItIsRefused() {
        Instant now = Instant.now();
        assertThat(Totp.match(RFC_SECRET, null, now, null)).isEmpty();
        assertThat(Totp.match(RFC_SECRET, "12345", now, null)).isEmpty();
        assertThat(Totp.match(RFC_SECRET, "abcdef", now, null)).isEmpty();
    }

    @Test
    void givenASecret_whenMadeIntoAnOtpauthUri_thenAnAppReadsTheSameSecretBack() {
        String uri = Totp.uri("Latchkey", "me+test@example.com", RFC_SECRET);
        assertThat(uri).startsWith("otpauth://totp/Latchkey:me%2Btest%40example.com?secret=")
                .contains("&issuer=Latchkey").contains("&digits=6").contains("&period=30");
        String secret = uri.replaceAll(".*secret=([A-Z2-7]+).*", "$1");
        assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Base32.decode(secret)).isEqualTo(RFC_SECRET);
    }
}

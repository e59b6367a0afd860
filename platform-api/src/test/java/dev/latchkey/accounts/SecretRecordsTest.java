package dev.latchkey.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Records that hold a password or a token never print it: a stray log line or exception shows "***". */
class SecretRecordsTest {

    private static final String SECRET = "correct horse battery staple";
    private static final String TOKEN = "invite_4f3c2a1b9d8e7f60a1b2c3d4e5f60718abcdefABCDEF1Z2Y3X";

    @Test
    void givenRecordsHoldingSecrets_whenPrinted_thenTheSecretIsMaskedAndTheRestShows() {
        List<Object> records = List.of(
                new AccountService.Signup("me@example.com", SECRET, "Me", "Acme", TOKEN),
                new AuthController.SignupRequest("me@example.com", SECRET, "Me", null, TOKEN),
                new AuthController.ResetConfirmation(TOKEN, SECRET),
                new AuthController.TokenRequest(TOKEN),
                new AccountController.PasswordChange(SECRET, SECRET + " 2"),
                new AccountController.DisableRequest(SECRET, "123456"),
                new TwoFactor.Enrolment(TOKEN, "otpauth://totp/Latchkey:me?secret=" + TOKEN),
                new TwoFactor.RecoveryCodes(List.of(TOKEN)),
                new AuthController.LoginRequest("me@example.com", SECRET),
                new AuthController.CsrfResponse(TOKEN, "X-XSRF-TOKEN"),
                new InvitationsController.TokenRequest(TOKEN),
                new CreatedInvitation(UUID.randomUUID(), "them@example.com", "admin", "invited", Instant.now(),
                        Instant.now(), TOKEN, "https://latchkey.example/invitations/accept#token=" + TOKEN));

        for (Object record : records) {
            assertThat(record.toString()).as(record.getClass().getSimpleName()).contains("***")
                    .doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(7, 30));
        }
        assertThat(records.get(0).toString()).contains("me@example.com");
    }
}

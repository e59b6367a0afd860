package dev.latchkey.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;

/** The embedded default has no SMTP server: each mail is written to the log and to a file under .latchkey/mail/. */
class EmbeddedMailFilesIT extends IntegrationTest {

    @Test
    void givenNoSmtpServer_whenAMailIsSent_thenItIsAFileOfItsOwnUnderTheHomesMailFolder() {
        SignedUp user = signUp();
        Path mail = Path.of(TestInfrastructure.get().properties().get("latchkey.home")).resolve("mail");

        assertThat(client().post("/v1/auth/password-reset", Map.of("email", user.email())).status()).isEqualTo(202);

        String message = await().atMost(Duration.ofSeconds(15)).until(() -> mailFor(mail, user.email()), m -> m != null);
        assertThat(message).contains("Subject: Reset your Latchkey password").contains("multipart/alternative")
                .contains("text/html").contains("reset_");
    }

    private static String mailFor(Path folder, String email) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".eml")).toList()) {
                String content = Files.readString(file);
                if (content.contains("To: " + email)) {
                    return content;
                }
            }
        }
        return null;
    }
}

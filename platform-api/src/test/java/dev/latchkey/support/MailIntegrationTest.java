package dev.latchkey.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Integration tests of the account lifecycle: the application sends its mail to a real SMTP
 * server inside the test (GreenMail), and requires verified emails as production does.
 */
public abstract class MailIntegrationTest extends IntegrationTest {

    /** Where mailed links point; the tests read the token from them and call the API themselves. */
    protected static final String PUBLIC_URL = "https://console.latchkey.test";
    private static final int SMTP_PORT = freePort();
    protected static final GreenMail SMTP = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> Integer.toString(SMTP_PORT));
        registry.add("latchkey.mail.from", () -> "Latchkey <no-reply@latchkey.test>");
        registry.add("latchkey.mail.poll-interval", () -> "100ms");
        registry.add("latchkey.mail.retry.initial-delay", () -> "200ms");
        registry.add("latchkey.public-url", () -> PUBLIC_URL);
        registry.add("latchkey.accounts.require-email-verification", () -> "true");
    }

    /** A mail as it arrived: its subject and the text of its plain-text part. */
    protected record ReceivedMail(String to, String subject, String text, String html) {

        /** The token of the first link to {@code path} in the mail ({@code <url><path>#token=...}). */
        public String token(String path) {
            Matcher link = Pattern.compile(Pattern.quote(PUBLIC_URL + path) + "#token=([A-Za-z0-9_]+)").matcher(text);
            if (!link.find()) {
                throw new AssertionError("no link to " + path + " in: " + text);
            }
            return link.group(1);
        }
    }

    /** Waits for the {@code n}-th mail (1-based) to {@code to} whose subject contains {@code subject}. */
    protected static ReceivedMail awaitMail(String to, String subject, int n) {
        return await("mail " + n + " to " + to + " about " + subject).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> mailsTo(to, subject), mails -> mails.size() >= n).get(n - 1);
    }

    protected static ReceivedMail awaitMail(String to, String subject) {
        return awaitMail(to, subject, 1);
    }

    protected static List<ReceivedMail> mailsTo(String to, String subject) {
        return Arrays.stream(SMTP.getReceivedMessages()).map(MailIntegrationTest::read)
                .filter(mail -> mail.to().equalsIgnoreCase(to) && mail.subject().contains(subject)).toList();
    }

    private static ReceivedMail read(MimeMessage message) {
        try {
            return new ReceivedMail(message.getAllRecipients()[0].toString(), message.getSubject(),
                    part(message, "text/plain"), part(message, "text/html"));
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return part.getContent().toString();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                String found = part(body, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The user follows the verification link of their signup mail. */
    protected void verifyEmail(SignedUp user) {
        String token = awaitMail(user.email(), "Verify your email").token("/verify-email");
        ApiClient.Response verified = client().post("/v1/auth/verify-email", java.util.Map.of("token", token));
        if (verified.status() != 204) {
            throw new AssertionError("verification failed: " + verified);
        }
    }

    /**
     * The code an authenticator app shows for a base32 secret at a time step, computed here from
     * RFC 6238 (HMAC-SHA1, 30 s, 6 digits) independently of the application's own code.
     */
    protected static String totp(String base32Secret, long step) {
        byte[] key = base32(base32Secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[19] & 0xf;
            int value = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", value % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static long currentStep() {
        return Instant.now().getEpochSecond() / 30;
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package dev.latchkey.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Property-style: secrets of every shape Latchkey handles (its own and each provider's, per
 * ../shared/PROVIDERS.md), generated at random, logged in every position a log line can hold
 * them (plain text, an argument, JSON, JSON escaped inside a string, headers, URLs, exception
 * messages and causes, MDC values), through a real Logback logger with the encoder of logback-spring.xml,
 * plain and ECS JSON. No secret, nor its JSON-escaped form, may appear in what is written.
 * The seed is in each test's name: {@code -Dredaction.seed=<seed>} replays a run.
 */
class RedactingEncoderTest {

    private static final int CASES_PER_SHAPE = 40;
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE64URL = BASE62 + "-_";
    private static final String HEX = "0123456789abcdef";

    /** A kind of secret: how to make one, and whether it is recognisable without a label. */
    private record Shape(String name, Function<Random, String> generator, boolean recognisableAlone,
            boolean mayContainSpaces) {
    }

    /** A place in a log line; {@code %s} is the secret. */
    private record Position(String name, String template, boolean labelled, boolean quoted) {
    }

    static List<Shape> shapes() {
        return List.of(
                new Shape("platform key", r -> "platform_" + random(r, BASE62, 43) + random(r, BASE62, 6), true, false),
                new Shape("session token", r -> "pst_" + random(r, BASE64URL, 43), true, false),
                new Shape("webhook secret", r -> "whsec_" + random(r, BASE64URL, 43), true, false),
                new Shape("OpenAI key", r -> "sk-" + random(r, BASE62, 48), true, false),
                new Shape("OpenAI project key", r -> "sk-proj-" + random(r, BASE64URL, 100 + r.nextInt(60)), true,
                        false),
                new Shape("OpenAI ephemeral key", r -> "ek_" + random(r, BASE62, 24 + r.nextInt(40)), true, false),
                new Shape("Luna ephemeral key", r -> "eph_" + random(r, BASE62, 24 + r.nextInt(20)), true, false),
                new Shape("fal/Luna key", r -> UUID.randomUUID() + ":" + random(r, HEX, 32), true, false),
                new Shape("Azure key", r -> random(r, r.nextBoolean() ? HEX : HEX.toUpperCase(), 32), true, false),
                new Shape("Azure key, new style", r -> mixedCase(r, 84), true, false),
                new Shape("LiveKit API secret", r -> mixedCase(r, 32 + r.nextInt(24)), true, false),
                new Shape("LiveKit token (JWT)", r -> "eyJ" + random(r, BASE64URL, 30) + ".eyJ"
                        + random(r, BASE64URL, 60 + r.nextInt(60)) + "." + random(r, BASE64URL, 43), true, false),
                new Shape("Daily key", r -> random(r, HEX, 64), false, false),
                new Shape("bearer token with colons", r -> random(r, BASE62, 8) + ":" + random(r, BASE62 + "._~+/=-", 24)
                        + ":" + random(r, BASE62, 6), false, false),
                new Shape("password", r -> random(r, BASE62 + "!#$%&*+-./<=>?@^_|~", 6) + " "
                        + random(r, BASE62, 8) + " " + random(r, BASE62 + "!#$%&*", 10), false, true));
    }

    static List<Position> positions() {
        return List.of(
                new Position("plain text", "upstream refused %s with 401", false, false),
                new Position("alone", "%s", false, false),
                new Position("key=value", "call key=%s status=502", true, false),
                new Position("JSON", "body={\"api_key\":\"%s\",\"model\":\"gpt\"}", true, true),
                new Position("JSON, spaced", "body={\"password\": \"%s\", \"email\": \"a@example.com\"}", true, true),
                new Position("JSON in a JSON string", "payload=\"{\\\"api_secret\\\":\\\"%s\\\"}\"", true, true),
                new Position("Authorization header", "Authorization: Bearer %s", true, false),
                new Position("api-key header", "api-key: %s", true, false),
                new Position("Luna header", "X-Luna-Key: Bearer %s", true, false),
                new Position("BYOK header", "X-Provider-Auth: %s", true, false),
                new Position("query string", "GET https://api.example.com/v1/models?api_key=%s&limit=5", true, false),
                new Position("WebSocket URL", "connect wss://room.example.com/rtc?access_token=%s&v=1", true, false),
                new Position("quoted assignment", "login password=\"%s\" refused", true, true));
    }

    @TestFactory
    Stream<DynamicTest> givenSecretsOfEveryShapeInEveryPosition_whenLogged_thenNeitherEncoderWritesThem() {
        long seed = Long.getLong("redaction.seed", new Random().nextLong());
        Random random = new Random(seed);
        List<DynamicTest> tests = new ArrayList<>();
        for (String format : List.of("plain", "ecs")) {
            for (Shape shape : shapes()) {
                List<String> secrets = new ArrayList<>();
                for (int i = 0; i < CASES_PER_SHAPE; i++) {
                    secrets.add(shape.generator().apply(random));
                }
                tests.add(DynamicTest.dynamicTest(format + ": " + shape.name() + " (seed " + seed + ")",
                        () -> assertNoneWritten(format, shape, secrets)));
            }
        }
        return tests.stream();
    }

    private static void assertNoneWritten(String format, Shape shape, List<String> secrets) throws IOException {
        try (CapturedLog log = new CapturedLog(format)) {
            for (String secret : secrets) {
                for (Position position : positions()) {
                    if (!shape.recognisableAlone() && !position.labelled()
                            || shape.mayContainSpaces() && !position.quoted()) {
                        continue;
                    }
                    String text = position.template().formatted(secret);
                    log.context.getMDCAdapter().put("upstream", text);
                    log.logger.info(text);
                    log.logger.warn("provider answered {}", text);
                    log.logger.error("the call failed", new IllegalStateException(text));
                    log.logger.error("the call failed", new RuntimeException("wrapped",
                            new IOException("cause: " + text)));
                    log.context.getMDCAdapter().clear();
                    String written = log.drain();
                    assertThat(written).as("%s %s in %s: %s", format, shape.name(), position.name(),
                            log.context.getStatusManager().getCopyOfStatusList()).contains("IllegalStateException");
                    for (String part : parts(secret)) {
                        assertThat(written).as("%s output of %s in %s", format, shape.name(), position.name())
                                .doesNotContain(part).doesNotContain(jsonEscaped(part));
                    }
                }
            }
        }
    }

    /** The secret, and for keys of two halves or passwords of words, each long part on its own. */
    private static List<String> parts(String secret) {
        List<String> parts = new ArrayList<>(List.of(secret));
        for (String part : secret.split("[: ]")) {
            if (part.length() >= 6) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static String jsonEscaped(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/");
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Letters of both cases and digits, as random base62 of this length always has. */
    private static String mixedCase(Random random, int length) {
        char[] chars = random(random, BASE62, length).toCharArray();
        chars[random.nextInt(length)] = (char) ('A' + random.nextInt(26));
        int lower = random.nextInt(length);
        int digit = (lower + 1 + random.nextInt(length - 1)) % length;
        chars[lower] = (char) ('a' + random.nextInt(26));
        chars[digit] = (char) ('0' + random.nextInt(10));
        String text = new String(chars);
        return text.chars().anyMatch(Character::isUpperCase) ? text : "Q" + text.substring(1);
    }

    /** A Logback context whose one appender writes through RedactingEncoder into memory. */
    private static final class CapturedLog implements AutoCloseable {

        final LoggerContext context = new LoggerContext();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        final Logger logger;

        CapturedLog(String format) {
            context.setMDCAdapter(new LogbackMDCAdapter());
            context.start();
            context.putObject(Environment.class.getName(), new StandardEnvironment());
            RedactingEncoder encoder = new RedactingEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d %5p [%t] %logger %mdc : %m%n%ex");
            if (format.equals("ecs")) {
                encoder.setStructuredFormat("ecs");
            }
            encoder.start();
            appender.setContext(context);
            appender.setEncoder(encoder);
            appender.setOutputStream(out);
            appender.start();
            logger = context.getLogger("dev.latchkey.test");
            logger.setAdditive(false);
            logger.setLevel(Level.INFO);
            logger.addAppender(appender);
        }

        String drain() {
            String written = out.toString(StandardCharsets.UTF_8);
            out.reset();
            return written;
        }

        @Override
        public void close() {
            appender.stop();
            context.stop();
        }
    }
}

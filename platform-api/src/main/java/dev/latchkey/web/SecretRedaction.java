package dev.latchkey.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks anything that looks like a credential, wherever it sits in a log line: values of
 * secret-named fields (JSON at any depth of escaping, headers, query strings, {@code key=value}),
 * bearer and basic credentials (colons included), Latchkey's own secrets ({@code platform_},
 * {@code pst_}, {@code whsec_}), provider keys ({@code sk-}/{@code sk-proj-}, ephemeral
 * {@code ek_}/{@code eph_}, both halves of fal/Luna {@code id:secret} keys, 32-hex Azure keys,
 * long mixed-case secrets such as LiveKit's), and JWTs. Long hex strings (Daily's 64-hex keys)
 * are masked after a key/secret/token label only, so hashes in logs stay readable. The last
 * line of defence for logs; code must still never log a secret on purpose.
 */
public final class SecretRedaction {

    public static final String MASK = "[REDACTED]";

    /** Field names whose value is a secret, whatever it looks like. */
    private static final String LABEL = "(?:x-)?api[-_ ]?(?:key|secret|token)|x-luna-key|x-provider-auth"
            + "|(?:client|app|webhook|signing)[-_]?secret|secret(?:[-_]?key)?|private[-_]?key|password|passwd"
            + "|passphrase|(?:proxy-)?authorization|(?:access|refresh|id|auth|session|bearer)[-_]?token";

    /** Each rule masks its group {@code secret}; the rest of the match is kept. */
    private static final List<Pattern> RULES = List.of(
            // Secrets that say what they are, masked behind their prefix.
            Pattern.compile("(?<![A-Za-z0-9])(?:platform_|pst_|whsec_|ek_|eph_)(?<secret>[A-Za-z0-9_-]{8,})"),
            Pattern.compile("(?<![A-Za-z0-9])sk-(?<secret>[A-Za-z0-9_-]{16,})"),
            Pattern.compile("(?<secret>eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)"),
            // fal/Luna keys: <uuid>:<secret>, both halves.
            Pattern.compile("(?<![A-Za-z0-9-])(?<secret>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
                    + "-[0-9a-fA-F]{12}:[A-Za-z0-9_-]{16,})"),
            // A quoted field with a quoted value, at any depth of JSON escaping: "api_key": "...",
            // \\"api_key\\":\\"...\\" (a JSON document inside a JSON string, as in ECS logs).
            Pattern.compile("(?i)(?<q>\\\\*[\"'])(?:" + LABEL + "|token)\\k<q>\\s*[:=]\\s*\\k<q>"
                    + "(?<secret>.*?)(?<!\\\\)\\k<q>"),
            // An unquoted field with a quoted value: password="correct horse".
            Pattern.compile("(?i)(?<![A-Za-z0-9_-])(?:" + LABEL + ")\\s*[:=]\\s*(?<q>\\\\*[\"'])"
                    + "(?<secret>.*?)(?<!\\\\)\\k<q>"),
            // An unquoted field and value: headers, query strings, key=value.
            Pattern.compile("(?i)(?<![A-Za-z0-9])(?:" + LABEL + ")\\s*[:=]\\s*(?:(?:bearer|basic|token)\\s+)?"
                    + "(?<secret>[^\\s\"'\\\\,;&<>\\[\\]{}()]+)"),
            // Any name ending in key/secret/token/password before a long value: daily_key=<64 hex>.
            Pattern.compile("(?i)(?:key|secret|token|password)(?:\\\\*[\"'])?"
                    + "\\s*[:=]\\s*(?:\\\\*[\"'])?(?:(?:bearer|basic)\\s+)?(?<secret>[A-Za-z0-9+/_=.:~-]{16,})"),
            Pattern.compile("(?i)(?<![A-Za-z0-9])(?:bearer|basic)\\s+(?<secret>[A-Za-z0-9._~+/=:-]{8,})"),
            // Azure OpenAI keys: 32 hex digits on their own.
            Pattern.compile("(?<![A-Za-z0-9])(?<secret>[0-9a-fA-F]{32})(?![A-Za-z0-9])"),
            // Long random secrets (LiveKit API secrets, newer Azure keys): 32+ letters and digits of
            // both cases; identifiers, UUIDs and hashes are not mixed-case like that.
            Pattern.compile("(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[0-9])"
                    + "(?<secret>[A-Za-z0-9]{32,})(?![A-Za-z0-9])"));

    private SecretRedaction() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String redacted = text;
        for (Pattern rule : RULES) {
            redacted = mask(rule, redacted);
        }
        return redacted;
    }

    private static String mask(Pattern rule, String text) {
        Matcher matcher = rule.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int kept = 0;
        do {
            int start = matcher.start("secret");
            int end = matcher.end("secret");
            if (end > start && !text.startsWith(MASK, start)) {
                out.append(text, kept, start).append(MASK);
                kept = end;
            }
        } while (matcher.find());
        return out.append(text, kept, text.length()).toString();
    }
}

package dev.latchkey.web;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks anything that looks like a credential: platform keys, session tokens, webhook signing
 * secrets, provider keys, ephemeral provider secrets, bearer tokens and "password=..."-style
 * pairs. The last line of defence for logs; code must still never log a secret on purpose.
 */
public final class SecretRedaction {

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("platform_[A-Za-z0-9]{8,}"), "platform_[REDACTED]"),
            new Rule(Pattern.compile("pst_[A-Za-z0-9_-]{8,}"), "pst_[REDACTED]"),
            new Rule(Pattern.compile("whsec_[A-Za-z0-9_-]{8,}"), "whsec_[REDACTED]"),
            new Rule(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"), "sk-[REDACTED]"),
            new Rule(Pattern.compile("\\b(ek|eph)_[A-Za-z0-9_-]{8,}"), "$1_[REDACTED]"),
            new Rule(Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{8,}"), "$1 [REDACTED]"),
            // A JSON string value ends at its closing quote, not at the first space.
            new Rule(Pattern.compile("(?i)(\"(?:api[-_]?key|api[-_]?secret|x-luna-key|password|secret)\"\\s*:\\s*\")"
                    + "(?:[^\"\\\\]|\\\\.)*\""), "$1[REDACTED]\""),
            new Rule(Pattern.compile(
                    "(?i)\\b(api[-_]?key|api[-_]?secret|x-luna-key|password|secret)(\"?\\s*[:=]\\s*\"?)[^\\s\"',}&]{4,}"),
                    "$1$2[REDACTED]"));

    private SecretRedaction() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String redacted = text;
        for (Rule rule : RULES) {
            redacted = rule.pattern().matcher(redacted).replaceAll(rule.replacement());
        }
        return redacted;
    }
}

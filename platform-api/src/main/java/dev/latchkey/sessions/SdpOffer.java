package dev.latchkey.sessions;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * An SDP offer (RFC 8866) as browsers make them: UTF-8 text of {@code <type>=<value>} lines,
 * starting with {@code v=0} and carrying the origin, session name, timing and at least one media
 * description. Checked before the session token is used, so a refused body leaves it usable.
 */
final class SdpOffer {

    static final ProblemType INVALID_SDP = new ProblemType("/problems/invalid-sdp", 400,
            "The body is not an SDP offer");
    /** Offers are typically under 20 KB; the proxy refuses anything over 64 KB. */
    static final int MAX_BYTES = 64 * 1024;

    private SdpOffer() {
    }

    static String read(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("The body must be an SDP offer (application/sdp), not empty");
        }
        if (body.length > MAX_BYTES) {
            throw new LatchkeyException(ProblemType.PAYLOAD_TOO_LARGE,
                    "An SDP offer may have at most " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("The body is not UTF-8 text");
        }
        if (!text.startsWith("v=0\r\n") && !text.startsWith("v=0\n")) {
            throw invalid("An SDP offer starts with the line v=0");
        }
        Set<Character> types = new HashSet<>();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw invalid("Every SDP line is <type>=<value> with a lower-case letter as its type");
            }
            if (line.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7f)) {
                throw invalid("SDP lines may not contain control characters");
            }
            types.add(line.charAt(0));
        }
        for (char required : new char[] {'o', 's', 't', 'm'}) {
            if (!types.contains(required)) {
                throw invalid("An SDP offer needs " + required + "= lines (origin, session name, timing and"
                        + " at least one media description)");
            }
        }
        return text;
    }

    private static LatchkeyException invalid(String detail) {
        return new LatchkeyException(INVALID_SDP, detail);
    }
}

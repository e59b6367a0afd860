package dev.latchkey.support;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import dev.latchkey.kernel.Scope;
import dev.latchkey.ledger.BillableCredential;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.CredentialSource;
import dev.latchkey.ledger.Metered;
import dev.latchkey.ledger.MeteringService;
import dev.latchkey.web.RequestMetadata;
import tools.jackson.databind.json.JsonMapper;

/**
 * TEST SUPPORT ONLY, never shipped (it lives under src/test; component scanning finds it in the
 * tests' application contexts only). A billable endpoint for the quota and ledger tests until
 * the broker's {@code POST /v1/tokens} exists: it authenticates like the broker (a platform key
 * with {@code tokens:mint}) and meters a fake "mint" through {@link MeteringService} exactly as
 * the broker will. {@code "fail_upstream": true} makes the fake upstream fail with a 502.
 */
@RestController
public class BillableTestEndpoint {

    public static final String PATH = "/v1/test-support/billable";
    static final ProblemType UPSTREAM_FAILED = new ProblemType("/problems/upstream-failed", 502,
            "The provider failed");
    private static final Map<String, AtomicInteger> MINTS_BY_END_USER = new ConcurrentHashMap<>();

    private final MeteringService metering;
    private final JsonMapper json;
    private final SecureRandom random;
    private final Clock clock;

    BillableTestEndpoint(MeteringService metering, JsonMapper json, SecureRandom random, Clock clock) {
        this.metering = metering;
        this.json = json;
        this.random = random;
        this.clock = clock;
    }

    /** The request body; every field is optional (livekit, token.mint, quantity 1, own credential). */
    record Body(String provider, String operation, Long quantity, String credentialSource, UUID credentialId,
            String endUser, Boolean failUpstream) {
    }

    /** What the fake upstream mints. */
    public record FakeToken(String token, Instant expiresAt, String endUser) {
    }

    /** How many times the fake upstream was called for requests of this end user. */
    public static int upstreamCallsFor(String endUser) {
        AtomicInteger calls = MINTS_BY_END_USER.get(endUser);
        return calls == null ? 0 : calls.get();
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<FakeToken> mint(@RequestBody String rawBody,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            HttpServletRequest request) {
        if (!(Caller.current() instanceof Caller.ApiKey key) || !key.holds(Scope.TOKENS_MINT)) {
            throw new LatchkeyException(ProblemType.FORBIDDEN, "A platform key with tokens:mint is required");
        }
        Body body = json.readValue(rawBody, Body.class);
        Provider provider = Provider.parse(body.provider() == null ? "livekit" : body.provider()).orElseThrow();
        BillableRequest billable = new BillableRequest(key.orgId(), key.apiKeyId(), provider,
                body.operation() == null ? "token.mint" : body.operation(),
                body.quantity() == null ? 1 : body.quantity(), body.endUser(),
                RequestMetadata.requestId(request), idempotencyKey,
                BillableRequest.fingerprint("POST", PATH, rawBody));
        CredentialSource source = CredentialSource.parse(body.credentialSource() == null ? "own"
                : body.credentialSource()).orElseThrow();
        // The fake work needs no secret: a credential of the requested source that opens to nothing.
        BillableCredential credential = new BillableCredential() {
            @Override
            public UUID credentialId() {
                return body.credentialId();
            }

            @Override
            public CredentialSource source() {
                return source;
            }

            @Override
            public DecryptedCredential open() {
                return new DecryptedCredential(body.credentialId(), key.orgId(), provider, Map.of(), Map.of());
            }
        };
        Metered<FakeToken> metered = metering.meter(billable, credential, FakeToken.class, opened -> {
            if (body.endUser() != null) {
                MINTS_BY_END_USER.computeIfAbsent(body.endUser(), k -> new AtomicInteger()).incrementAndGet();
            }
            if (Boolean.TRUE.equals(body.failUpstream())) {
                throw new LatchkeyException(UPSTREAM_FAILED, "The fake upstream failed");
            }
            byte[] token = new byte[16];
            random.nextBytes(token);
            return new FakeToken("fake_" + HexFormat.of().formatHex(token), clock.instant().plusSeconds(60),
                    body.endUser());
        });
        return ResponseEntity.ok().headers(headers -> metered.headers().forEach(headers::set)).body(metered.result());
    }
}

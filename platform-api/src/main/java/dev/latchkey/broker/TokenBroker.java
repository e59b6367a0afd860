package dev.latchkey.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;

import dev.latchkey.apikeys.ApiKeyScopes;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Provider;
import dev.latchkey.credentials.Secret;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.CredentialSource;
import dev.latchkey.ledger.Metered;
import dev.latchkey.ledger.MeteringService;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;
import dev.latchkey.web.RequestMetadata;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brokers one short-lived provider token: validates the request for its provider, merges it
 * into the organization's policy, clamps the TTL, picks the credential (stored or brought by
 * the caller) and has the provider's adapter mint the token.
 */
@Service
public class TokenBroker {

    static final ProblemType BYOK_NOT_ALLOWED = new ProblemType("/problems/byok-not-allowed", 403,
            "Bring-your-own-key is not allowed");
    private static final int MAX_END_USER = 128;

    private final Map<Provider, ProviderAdapter> adapters;
    private final PolicyService policies;
    private final CredentialService credentials;
    private final MeteringService metering;
    private final MeterRegistry meters;
    private final Clock clock;

    TokenBroker(List<ProviderAdapter> adapters, PolicyService policies, CredentialService credentials,
            MeteringService metering, MeterRegistry meters, Clock clock) {
        this.metering = metering;
        this.adapters = adapters.stream().collect(Collectors.toMap(ProviderAdapter::provider, Function.identity()));
        this.policies = policies;
        this.credentials = credentials;
        this.meters = meters;
        this.clock = clock;
    }

    /** A minted token with the id Latchkey gives it. */
    public record MintResult(UUID id, Provider provider, MintedToken token) {
    }

    /** A brokered token and the headers its response carries ({@code RateLimit-*}, idempotent replay). */
    public record Brokered(MintResult result, Map<String, String> headers) {
    }

    /** The caller's {@code Idempotency-Key} and what makes a retry "the same request". */
    public record Idempotency(String key, String fingerprint) {

        /**
         * Null without a key. The caller's own provider key is not part of the fingerprint (it is
         * never stored), only whether one was sent.
         */
        public static Idempotency of(String key, String operation, String body, String credentialId,
                boolean ownKey) {
            return key == null ? null : new Idempotency(key,
                    BillableRequest.fingerprint(operation, body, credentialId, Boolean.toString(ownKey)));
        }
    }

    /**
     * Mints one token: the request is checked and merged into the policy first (bad input is
     * neither limited nor billed), then metering rate-limits it, reserves the allowance, has the
     * adapter mint it with the decrypted credential, and commits the ledger row before the token
     * is handed out; a failed mint is not billed.
     */
    public Brokered mint(Caller caller, MintRequest request, Optional<UUID> credentialId, Optional<String> ownKey,
            Idempotency idempotency) {
        Caller.ApiKey key = requireScope(caller, ApiKeyScopes.TOKENS_MINT);
        ProviderAdapter adapter = adapter(request.provider());
        Provider provider = adapter.provider();
        for (String field : request.presentFields().keySet()) {
            if (!adapter.requestFields().contains(field)) {
                throw LatchkeyException.invalidField(field, "is not a field of a " + provider + " token request");
            }
        }
        checkEndUser(request.endUser());
        adapter.validate(request);
        SessionPolicy policy = policies.policyFor(key.orgId(), provider);
        ObjectNode policed = PolicyMerge.merge(adapter.policed(request), policy, adapter.policedObject());
        Duration ttl = ttl(request.ttlSeconds(), policy, adapter.ttl());
        ownKey.ifPresent(own -> checkOwnKey(provider, policy, own));
        UUID storedId = ownKey.isPresent() ? null : credentials.resolve(key.orgId(), provider, credentialId);
        BillableRequest billable = new BillableRequest(key.orgId(), key.apiKeyId(), storedId,
                ownKey.isPresent() ? CredentialSource.BYOK : CredentialSource.OWN, provider, "token.mint", 1,
                request.endUser(), RequestMetadata.current().requestId(),
                idempotency == null ? null : idempotency.key(), idempotency == null ? null : idempotency.fingerprint());
        Metered<MintResult> metered = metering.meter(billable, MintResult.class, () -> {
            DecryptedCredential credential = ownKey.isPresent()
                    ? ownCredential(key, provider, credentialId, ownKey.get())
                    : credentials.use(key, key.orgId(), provider, Optional.of(storedId));
            try {
                MintedToken token = adapter.mint(new MintContext(request, policed.deepCopy(), ttl, credential,
                        clock.instant()));
                count(provider, "success");
                return new MintResult(UUID.randomUUID(), provider, token);
            } catch (RuntimeException failure) {
                count(provider, "failure");
                throw failure;
            }
        });
        return new Brokered(metered.result(), metered.headers());
    }

    ProviderAdapter adapter(String providerId) {
        if (providerId == null) {
            throw LatchkeyException.invalidField("provider", "is required");
        }
        return Provider.parse(providerId).map(adapters::get).orElseThrow(() -> LatchkeyException.invalidField(
                "provider", "must be one of " + Arrays.stream(Provider.values()).map(Provider::id).toList()));
    }

    /** {@code end_user}: the app's own opaque user id, at most 128 printable characters. */
    static void checkEndUser(String endUser) {
        if (endUser != null && (endUser.isBlank() || endUser.length() > MAX_END_USER
                || endUser.chars().anyMatch(Character::isISOControl))) {
            throw LatchkeyException.invalidField("end_user", "must be 1 to " + MAX_END_USER + " printable characters");
        }
    }

    /** The {@code X-Credential-Id} header: which stored credential to use instead of the default. */
    public static Optional<UUID> credentialIdHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(header.trim()));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.invalidField("X-Credential-Id", "must be a credential id (a UUID)");
        }
    }

    static Caller.ApiKey requireScope(Caller caller, String scope) {
        if (!(caller instanceof Caller.ApiKey key)) {
            throw new LatchkeyException(ProblemType.FORBIDDEN, "Brokering needs a platform API key (Authorization: Bearer platform_...)");
        }
        if (!key.scopes().contains(scope) && !key.scopes().contains(ApiKeyScopes.ADMIN)) {
            throw new LatchkeyException(ProblemType.FORBIDDEN, "This API key lacks the " + scope + " scope");
        }
        return key;
    }

    /** The requested TTL (or the policy's default), refused below the provider's minimum, clamped to the maximum. */
    static Duration ttl(Integer requested, SessionPolicy policy, ProviderAdapter.TtlRange range) {
        int max = Math.min(policy.maxTtlSeconds() == null ? range.maxSeconds() : policy.maxTtlSeconds(),
                range.maxSeconds());
        int seconds = requested != null ? requested
                : policy.defaultTtlSeconds() != null ? policy.defaultTtlSeconds() : range.defaultSeconds();
        if (seconds < range.minSeconds()) {
            throw LatchkeyException.invalidField("ttl_seconds", "must be at least " + range.minSeconds());
        }
        return Duration.ofSeconds(Math.min(seconds, max));
    }

    private static void checkOwnKey(Provider provider, SessionPolicy policy, String ownKey) {
        if (!policy.allowByok()) {
            throw new LatchkeyException(BYOK_NOT_ALLOWED, "The organization's policy for " + provider
                    + " does not accept X-Provider-Auth");
        }
        if (provider == Provider.LIVEKIT) {
            throw new LatchkeyException(BYOK_NOT_ALLOWED, "LiveKit tokens are signed with a stored key and secret;"
                    + " X-Provider-Auth is not supported for livekit");
        }
        String value = ownKey.trim();
        if (value.isEmpty() || value.length() > 4096 || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw LatchkeyException.invalidField("X-Provider-Auth", "must be the provider API key");
        }
    }

    /** The caller's own key, used for this request only; config still comes from a stored credential (Azure). */
    private DecryptedCredential ownCredential(Caller.ApiKey key, Provider provider, Optional<UUID> credentialId,
            String ownKey) {
        Map<String, String> config = provider == Provider.AZURE_OPENAI
                ? credentials.configOf(key.orgId(), provider, credentialId) : Map.of();
        return new DecryptedCredential(null, key.orgId(), provider, config, Map.of("api_key", Secret.of(ownKey.trim())));
    }

    private void count(Provider provider, String outcome) {
        Counter.builder("latchkey.tokens.minted").description("Tokens brokered, by provider and outcome")
                .tag("provider", provider.id()).tag("outcome", outcome).register(meters).increment();
    }
}

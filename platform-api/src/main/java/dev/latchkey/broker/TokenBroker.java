package dev.latchkey.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;

import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.broker.spi.ProviderRequests;
import dev.latchkey.credentials.CredentialChoice;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Secret;
import dev.latchkey.credentials.StoredCredential;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import dev.latchkey.kernel.Scope;
import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.ledger.BillableCredential;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.Metered;
import dev.latchkey.ledger.MeteringService;
import dev.latchkey.web.Ids;
import dev.latchkey.web.RequestMetadata;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brokers one short-lived provider token: reads and validates the request as its provider's
 * record, merges it into the organization's policy, clamps the TTL, picks the credential (stored
 * or brought by the caller) and has the provider's adapter mint it through the one metering path.
 */
@Service
public class TokenBroker {

    static final ProblemType BYOK_NOT_ALLOWED = new ProblemType("/problems/byok-not-allowed", 403,
            "Bring-your-own-key is not allowed");
    static final ProblemType MANAGED_SESSION_ONLY = new ProblemType("/problems/managed-session-only", 409,
            "Managed credential available through session tokens only");

    private final Map<Provider, ProviderAdapter<?>> adapters;
    private final PolicyService policies;
    private final CredentialService credentials;
    private final MeteringService metering;
    private final SecretHasher hasher;
    private final ProviderRequests requests;
    private final Clock clock;
    private final Map<Provider, Counter> minted = new EnumMap<>(Provider.class);
    private final Map<Provider, Counter> failed = new EnumMap<>(Provider.class);

    TokenBroker(List<ProviderAdapter<?>> adapters, PolicyService policies, CredentialService credentials,
            MeteringService metering, SecretHasher hasher, ProviderRequests requests, MeterRegistry meters, Clock clock) {
        this.metering = metering;
        this.adapters = adapters.stream().collect(Collectors.toMap(ProviderAdapter::provider, Function.identity()));
        this.policies = policies;
        this.credentials = credentials;
        this.hasher = hasher;
        this.requests = requests;
        this.clock = clock;
        for (Provider provider : Provider.values()) {
            minted.put(provider, counter(meters, provider, "success"));
            failed.put(provider, counter(meters, provider, "failure"));
        }
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
         * Null without a key; the body is serialized only when there is one. The caller's own
         * provider key is never stored: only a peppered hash of it is part of the fingerprint, so a
         * retry with another provider key is another request.
         */
        public static Idempotency of(String key, String operation, Supplier<String> body, String credentialId,
                String ownKeyHash) {
            return key == null ? null : new Idempotency(key,
                    BillableRequest.fingerprint(operation, body.get(), credentialId, ownKeyHash));
        }
    }

    /** A peppered hash of the caller's own provider key for idempotency fingerprints; null without one. */
    public String ownKeyHash(String ownKey) {
        return ownKey == null ? null : HexFormat.of().formatHex(hasher.hash(ownKey.trim()));
    }

    /**
     * Reads a {@code POST /v1/tokens} body as its provider's request record: 403 for a caller who
     * may not mint (before anything is said about the body), then 400 for a body without a known
     * {@code provider}, a field that provider does not take, or a value of the wrong type. The
     * record's constraints are checked when it is minted.
     */
    public TokenRequest read(Caller caller, JsonNode body) {
        caller.require(Scope.TOKENS_MINT);
        if (!body.isObject()) {
            throw new LatchkeyException(ProblemType.MALFORMED_BODY, "The request body must be a JSON object");
        }
        JsonNode provider = body.get("provider");
        ProviderAdapter<?> adapter = adapter(provider == null || provider.isNull() ? null : provider.asString(""));
        return requests.read(body, adapter.requestType(), adapter.provider());
    }

    /**
     * Mints one token: the request is checked and merged into the policy first (bad input is
     * neither limited nor billed), then the metering path rate-limits it, takes its allowance, has
     * the adapter mint it with the decrypted credential, and commits the ledger row before the
     * token is handed out; a failed mint is not billed.
     */
    public Brokered mint(Caller caller, TokenRequest request, String credentialHeader, Optional<String> ownKey,
            Idempotency idempotency) {
        Caller.ApiKey key = caller.require(Scope.TOKENS_MINT);
        return mint(key, adapter(request.provider()), request, credentialHeader, ownKey, idempotency);
    }

    private <R extends TokenRequest> Brokered mint(Caller.ApiKey key, ProviderAdapter<R> adapter,
            TokenRequest untyped, String credentialHeader, Optional<String> ownKey, Idempotency idempotency) {
        R request = adapter.requestType().cast(untyped);
        requests.check(request);
        Provider provider = adapter.provider();
        SessionPolicy policy = policies.policyFor(key.orgId(), provider);
        ObjectNode policed = PolicyMerge.merge(adapter.policed(request), policy, adapter.policedObject());
        Duration ttl = ttl(request.ttlSeconds(), policy, adapter.ttl());
        CredentialChoice choice = credentialChoice(credentialHeader, request.credential());
        ownKey.ifPresent(own -> checkOwnKey(provider, policy, own));
        StoredCredential stored = null;
        BillableCredential credential;
        if (ownKey.isPresent()) {
            if (choice instanceof CredentialChoice.Managed) {
                throw LatchkeyException.invalidField("X-Provider-Auth",
                        "cannot be combined with the managed credential: the request brings its own key");
            }
            credential = BillableCredential.broughtByCaller(ownCredential(key, provider, choice.storedId(),
                    ownKey.get()));
        } else {
            stored = credentials.resolve(key.orgId(), provider, choice);
            if (stored.managed() && adapter.sessionTokensOnlyWhenManaged(stored.config())) {
                throw new LatchkeyException(MANAGED_SESSION_ONLY, "Through Latchkey's managed " + provider
                        + " credential, sessions start with one-time session tokens (POST /v1/realtime/sessions):"
                        + " a token for the client would have to name the platform's own endpoint");
            }
            credential = BillableCredential.stored(stored, credentials);
        }
        StoredCredential using = stored;
        BillableRequest billable = new BillableRequest(key.orgId(), key.apiKeyId(), provider, "token.mint", 1,
                request.endUser(), RequestMetadata.current().requestId(),
                idempotency == null ? null : idempotency.key(), idempotency == null ? null : idempotency.fingerprint());
        Metered<MintResult> metered = metering.meter(billable, credential, MintResult.class, decrypted -> {
            try {
                MintedToken token = adapter.mint(new MintContext<>(request, policed, ttl, decrypted, clock.instant()));
                minted.get(provider).increment();
                return new MintResult(Ids.newId(), provider, token);
            } catch (RuntimeException failure) {
                failed.get(provider).increment();
                throw using == null ? failure : using.concealed(failure);
            }
        });
        return new Brokered(metered.result(), metered.headers());
    }

    ProviderAdapter<?> adapter(String providerId) {
        if (providerId == null) {
            throw LatchkeyException.invalidField("provider", "is required");
        }
        return Provider.parse(providerId).map(adapters::get).orElseThrow(() -> LatchkeyException.invalidField(
                "provider", "must be one of " + Arrays.stream(Provider.values()).map(Provider::id).toList()));
    }

    /**
     * The credential a broker request asks for: in {@code X-Credential-Id} or the body's
     * {@code credential} (they must agree when both are given), a stored credential's id or
     * {@code managed}; neither is the default (the organization's own, else the managed one where
     * the organization has managed access).
     */
    public static CredentialChoice credentialChoice(String header, String body) {
        return CredentialChoice.of(header, "X-Credential-Id", body, "credential");
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
                ? credentials.ownConfigOf(key.orgId(), provider, credentialId) : Map.of();
        return new DecryptedCredential(null, key.orgId(), provider, config, Map.of("api_key", Secret.of(ownKey.trim())));
    }

    private static Counter counter(MeterRegistry meters, Provider provider, String outcome) {
        return Counter.builder("latchkey.tokens.minted").description("Tokens brokered, by provider and outcome")
                .tag("provider", provider.id()).tag("outcome", outcome).register(meters);
    }
}

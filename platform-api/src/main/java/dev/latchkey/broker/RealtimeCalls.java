package dev.latchkey.broker;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;

import dev.latchkey.broker.spi.RealtimeCallAdapter;
import dev.latchkey.credentials.CredentialChoice;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.StoredCredential;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.EndUser;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import dev.latchkey.kernel.Scope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WebRTC calls through a provider's own calls endpoint, for the SDP proxy of one-time session
 * tokens: the session a call will start with (the client's request merged into the
 * organization's policy and shaped for the provider), starting a call with an SDP offer, and
 * hanging it up. The wire formats live in the provider packages ({@link RealtimeCallAdapter}).
 */
@Service
public class RealtimeCalls {

    public static final ProblemType HANGUP_UNSUPPORTED = new ProblemType("/problems/hangup-unsupported", 409,
            "The provider cannot end calls from the server");

    private final Map<Provider, RealtimeCallAdapter> adapters;
    private final PolicyService policies;
    private final CredentialService credentials;
    private final MeterRegistry meters;

    RealtimeCalls(List<RealtimeCallAdapter> adapters, PolicyService policies, CredentialService credentials,
            MeterRegistry meters) {
        this.adapters = adapters.stream().collect(Collectors.toMap(RealtimeCallAdapter::provider, Function.identity()));
        this.policies = policies;
        this.credentials = credentials;
        this.meters = meters;
    }

    /**
     * What a call will be pinned to: the provider, the credential (the named one, the provider's
     * default, or the platform's managed one: {@code managed}), the policed session, the policy's cap
     * on session length and its maximum TTL (null when the policy sets none).
     */
    public record PreparedSession(Provider provider, UUID credentialId, boolean managed, ObjectNode session,
            Integer maxSessionSeconds, Integer maxTtlSeconds) {
    }

    /**
     * Polices a session for a later call, as {@code POST /v1/tokens} polices a token: 403 without
     * the {@code sessions:mint} scope, 400 naming a field the policy does not let the client set,
     * 409 without a credential, or with a session cap the provider cannot enforce.
     */
    public PreparedSession prepare(Caller caller, String providerId, JsonNode session, String endUser,
            CredentialChoice choice) {
        Caller.ApiKey key = caller.require(Scope.SESSIONS_MINT);
        RealtimeCallAdapter adapter = adapter(providerId);
        Provider provider = adapter.provider();
        EndUser.check(endUser);
        SessionPolicy policy = policies.policyFor(key.orgId(), provider);
        if (policy.maxSessionSeconds() != null && !adapter.canHangUp()) {
            throw new LatchkeyException(HANGUP_UNSUPPORTED, "The organization's policy for " + provider
                    + " caps sessions at " + policy.maxSessionSeconds() + " s, but " + provider
                    + " offers no way to end a call from the server, so the cap could not be enforced");
        }
        ObjectNode policed = PolicyMerge.merge(session, policy, "session");
        StoredCredential credential = credentials.resolve(key.orgId(), provider, choice);
        ObjectNode shaped;
        try {
            shaped = adapter.session(policed, credential.config());
        } catch (RuntimeException refused) {
            throw credential.concealed(refused);
        }
        return new PreparedSession(provider, credential.id(), credential.managed(), shaped,
                policy.maxSessionSeconds(), policy.maxTtlSeconds());
    }

    /** Forwards an SDP offer to the provider's calls endpoint; 502/504 when the provider fails. */
    public CallAnswer start(DecryptedCredential credential, ObjectNode session, String offer) {
        Provider provider = credential.provider();
        try {
            CallAnswer answer = adapters.get(provider).start(credential, session, offer);
            count(provider, "success");
            return answer;
        } catch (RuntimeException failure) {
            count(provider, "failure");
            throw failure;
        }
    }

    public boolean canHangUp(Provider provider) {
        RealtimeCallAdapter adapter = adapters.get(provider);
        return adapter != null && adapter.canHangUp();
    }

    /** Ends a call at the provider; 409 where the provider cannot, 502/504 when it fails. */
    public HangupResult hangUp(DecryptedCredential credential, String providerCallId) {
        if (!canHangUp(credential.provider()) || providerCallId == null) {
            throw new LatchkeyException(HANGUP_UNSUPPORTED, credential.provider()
                    + " offers no way to end this call from the server");
        }
        return adapters.get(credential.provider()).hangUp(credential, providerCallId);
    }

    private RealtimeCallAdapter adapter(String providerId) {
        if (providerId == null) {
            throw LatchkeyException.invalidField("provider", "is required");
        }
        return Provider.parse(providerId).map(adapters::get).orElseThrow(() -> LatchkeyException.invalidField(
                "provider", "must be one of " + Arrays.stream(Provider.values()).filter(adapters::containsKey)
                        .map(Provider::id).toList()));
    }

    private void count(Provider provider, String outcome) {
        Counter.builder("latchkey.calls.proxied").description("SDP offers proxied to providers, by provider and outcome")
                .tag("provider", provider.id()).tag("outcome", outcome).register(meters).increment();
    }
}

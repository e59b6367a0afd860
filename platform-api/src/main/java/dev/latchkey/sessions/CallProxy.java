package dev.latchkey.sessions;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.apikeys.ApiKeyService;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.broker.CallAnswer;
import dev.latchkey.broker.RealtimeCalls;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Scope;
import dev.latchkey.ledger.BillableCredential;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.Metered;
import dev.latchkey.ledger.MeteringService;
import dev.latchkey.web.Ids;
import dev.latchkey.web.RequestMetadata;

/**
 * {@code POST /v1/realtime/calls}: a browser's SDP offer, with a one-time session token, goes to
 * the provider with the stored credential, and the answer comes back. The order matters: the
 * offer is checked first and the token, its organization and its key are read (a refused
 * request leaves the token as it was); the call is metered (rate limits, allowance); only then
 * is the token used up, in one atomic UPDATE that one request on one instance wins, and the
 * provider called; the ledger row commits before the answer is returned.
 */
@Service
public class CallProxy {

    /** The price book's operation for a proxied call. */
    static final String OPERATION = "call.proxy";
    private static final Logger log = LoggerFactory.getLogger(CallProxy.class);

    private final SessionTokens tokens;
    private final CallRegistry registry;
    private final RealtimeCalls realtimeCalls;
    private final CredentialService credentials;
    private final OrganizationService organizations;
    private final ApiKeyService apiKeys;
    private final MeteringService metering;
    private final AuditService audit;
    private final Clock clock;

    CallProxy(SessionTokens tokens, CallRegistry registry, RealtimeCalls realtimeCalls, CredentialService credentials,
            OrganizationService organizations, ApiKeyService apiKeys, MeteringService metering, AuditService audit,
            Clock clock) {
        this.tokens = tokens;
        this.registry = registry;
        this.realtimeCalls = realtimeCalls;
        this.credentials = credentials;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.metering = metering;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A started call: Latchkey's id for it, the provider's SDP answer and the headers the
     * response must carry ({@code RateLimit-*}).
     */
    record StartedCall(UUID id, String answer, Map<String, String> headers) {
    }

    /** What the provider answered and the credential that reached it (never leaves this class). */
    private record Proxied(CallAnswer answer, DecryptedCredential credential) {
    }

    StartedCall start(SessionTokenAuthenticator.PresentedToken presented, byte[] body) {
        String offer = SdpOffer.read(body);
        SessionTokens.StoredToken token = tokens.find(presented.hash(), clock.instant())
                .orElseThrow(SessionTokenAuthenticator::unusable);
        if (!organizations.isActive(token.orgId())) {
            throw refused(token, "organization suspended", "The organization of this session token is suspended");
        }
        if (!apiKeys.isUsable(token.apiKeyId())) {
            throw refused(token, "api key revoked or expired",
                    "The API key that minted this session token has been revoked or has expired");
        }
        UUID callId = Ids.newId();
        Proxied[] proxied = new Proxied[1];
        Metered<CallAnswer> metered = billed(token, credential -> {
            tokens.consume(presented.hash(), clock.instant()).orElseThrow(SessionTokenAuthenticator::unusable);
            try {
                proxied[0] = new Proxied(realtimeCalls.start(credential, token.session(), offer), credential);
                return proxied[0].answer();
            } catch (LatchkeyException failure) {
                audit.recordIndependently(AuditEvent.failure("realtime_call.started").by(minter(token))
                        .org(token.orgId()).target("realtime_call", callId).detail("provider", token.provider().id())
                        .detail("session_token", token.id()).detail("status", failure.problemType().status()).build());
                throw failure;
            }
        });
        try {
            registry.recordStarted(token, callId, metered.result().providerCallId(), clock.instant());
        } catch (RuntimeException failure) {
            // A call nobody can see or cap must not run on: end it before reporting the failure.
            hangUpQuietly(proxied[0], metered.result().providerCallId());
            throw failure;
        }
        return new StartedCall(callId, metered.result().sdp(), metered.headers());
    }

    /**
     * Billing: the one call site. A proxied call is one billable event ({@code call.proxy},
     * quantity 1, with the token's organization, key, credential and end user): rate limits and
     * the monthly allowance are checked first (429), then {@code proxy} uses the token up and
     * calls the provider (a failure there bills nothing), and the ledger row commits before the
     * answer is returned.
     */
    private Metered<CallAnswer> billed(SessionTokens.StoredToken token, Function<DecryptedCredential, CallAnswer> proxy) {
        return metering.meter(new BillableRequest(token.orgId(), token.apiKeyId(), token.provider(), OPERATION, 1,
                token.endUser(), RequestMetadata.current().requestId(), null, null),
                BillableCredential.stored(credentials.resolvePinned(token.orgId(), token.provider(),
                        token.credentialId(), token.managed()), credentials), CallAnswer.class, proxy);
    }

    private void hangUpQuietly(Proxied proxied, String providerCallId) {
        if (proxied == null || providerCallId == null || !realtimeCalls.canHangUp(proxied.credential().provider())) {
            return;
        }
        try {
            realtimeCalls.hangUp(proxied.credential(), providerCallId);
        } catch (RuntimeException failure) {
            log.warn("Could not end an unrecorded {} call: {}", proxied.credential().provider(), failure.getMessage());
        }
    }

    private LatchkeyException refused(SessionTokens.StoredToken token, String cause, String detail) {
        audit.recordIndependently(AuditEvent.denied("realtime_call.started").by(minter(token)).org(token.orgId())
                .detail("session_token", token.id()).detail("cause", cause).build());
        return new LatchkeyException(SessionTokenAuthenticator.INVALID_SESSION_TOKEN, detail);
    }

    /** The platform key that minted the token: the call is made, and recorded, in its name. */
    static Caller.ApiKey minter(SessionTokens.StoredToken token) {
        return new Caller.ApiKey(token.apiKeyId(), token.orgId(), Set.of(Scope.SESSIONS_MINT));
    }
}

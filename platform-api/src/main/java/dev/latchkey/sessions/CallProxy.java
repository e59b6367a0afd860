package dev.latchkey.sessions;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.apikeys.ApiKeyScopes;
import dev.latchkey.apikeys.ApiKeyService;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.broker.RealtimeCallAdapter.CallAnswer;
import dev.latchkey.broker.RealtimeCalls;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;

/**
 * {@code POST /v1/realtime/calls}: a browser's SDP offer, with a one-time session token, goes to
 * the provider with the stored credential, and the answer comes back. The order matters: the
 * offer is checked first (a refused body leaves the token usable), then the token is used up
 * in one atomic UPDATE (one use, across every instance), then the organization and the key
 * that minted it are checked, and only then is the provider called.
 */
@Service
public class CallProxy {

    private static final Logger log = LoggerFactory.getLogger(CallProxy.class);

    private final SessionTokens tokens;
    private final CallRegistry registry;
    private final RealtimeCalls realtimeCalls;
    private final CredentialService credentials;
    private final OrganizationService organizations;
    private final ApiKeyService apiKeys;
    private final AuditService audit;
    private final Clock clock;

    CallProxy(SessionTokens tokens, CallRegistry registry, RealtimeCalls realtimeCalls, CredentialService credentials,
            OrganizationService organizations, ApiKeyService apiKeys, AuditService audit, Clock clock) {
        this.tokens = tokens;
        this.registry = registry;
        this.realtimeCalls = realtimeCalls;
        this.credentials = credentials;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.audit = audit;
        this.clock = clock;
    }

    /** A started call: Latchkey's id for it and the provider's SDP answer. */
    record StartedCall(UUID id, String answer) {
    }

    StartedCall start(SessionTokenAuthenticator.PresentedToken presented, byte[] body) {
        String offer = SdpOffer.read(body);
        SessionTokens.StoredToken token = tokens.consume(presented.hash(), clock.instant())
                .orElseThrow(SessionTokenAuthenticator::unusable);
        if (!organizations.isActive(token.orgId())) {
            throw refused(token, "organization suspended", "The organization of this session token is suspended");
        }
        if (!apiKeys.isUsable(token.apiKeyId())) {
            throw refused(token, "api key revoked or expired",
                    "The API key that minted this session token has been revoked or has expired");
        }
        DecryptedCredential credential = credentials.use(minter(token), token.orgId(), token.provider(),
                Optional.of(token.credentialId()));
        UUID callId = UUID.randomUUID();
        CallAnswer answer;
        try {
            answer = billed(token, () -> realtimeCalls.start(credential, token.session(), offer));
        } catch (LatchkeyException failure) {
            audit.recordIndependently(AuditEvent.failure("realtime_call.started").by(minter(token)).org(token.orgId())
                    .target("realtime_call", callId).detail("provider", token.provider().id())
                    .detail("session_token", token.id()).detail("status", failure.problemType().status()).build());
            throw failure;
        }
        try {
            registry.recordStarted(token, callId, answer.providerCallId(), clock.instant());
        } catch (RuntimeException failure) {
            // A call nobody can see or cap must not run on: end it before reporting the failure.
            hangUpQuietly(credential, answer.providerCallId());
            throw failure;
        }
        return new StartedCall(callId, answer.sdp());
    }

    /**
     * BILLING: the one call site. A proxied call is one billable event (operation
     * {@code call.proxy}, quantity 1, the token's org, API key, credential and end user). The
     * usage ledger (issue 4's {@code MeteringService}) is not on this branch yet; once it is, this
     * method becomes
     * {@code metering.meter(new BillableRequest(token.orgId(), token.apiKeyId(), token.credentialId(),
     * CredentialSource.OWN, token.provider(), "call.proxy", 1, token.endUser(), requestId, null, null),
     * CallAnswer.class, proxy).result()}: limits and the allowance are checked first, then the
     * provider is called, and the ledger row commits before the answer goes back. Until then,
     * calls are recorded in the registry but not billed.
     */
    private CallAnswer billed(SessionTokens.StoredToken token, Supplier<CallAnswer> proxy) {
        return proxy.get();
    }

    private void hangUpQuietly(DecryptedCredential credential, String providerCallId) {
        if (providerCallId == null || !realtimeCalls.canHangUp(credential.provider())) {
            return;
        }
        try {
            realtimeCalls.hangUp(credential, providerCallId);
        } catch (RuntimeException failure) {
            log.warn("Could not end an unrecorded {} call: {}", credential.provider(), failure.getMessage());
        }
    }

    private LatchkeyException refused(SessionTokens.StoredToken token, String cause, String detail) {
        audit.recordIndependently(AuditEvent.denied("realtime_call.started").by(minter(token)).org(token.orgId())
                .detail("session_token", token.id()).detail("cause", cause).build());
        return new LatchkeyException(SessionTokenAuthenticator.INVALID_SESSION_TOKEN, detail);
    }

    /** The platform key that minted the token: the call is made, and recorded, in its name. */
    static Caller.ApiKey minter(SessionTokens.StoredToken token) {
        return new Caller.ApiKey(token.apiKeyId(), token.orgId(), Set.of(ApiKeyScopes.SESSIONS_MINT));
    }
}

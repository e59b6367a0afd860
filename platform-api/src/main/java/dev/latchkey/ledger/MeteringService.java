package dev.latchkey.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.apikeys.ApiKeyService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.quota.AllowanceGrant;
import dev.latchkey.quota.ManagedGrant;
import dev.latchkey.quota.QuotaService;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.web.Ids;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to bill: every billable request (a token mint, a room, a proxied call) goes
 * through {@link #meter}, which limits it, opens its credential, has the work done, bills it
 * exactly once in a group commit and only then hands out what was made. Nothing on this path
 * reads the database in the steady state (keys, policies, credentials, limits and prices come
 * from caches) and nothing holds a lock while it waits on the network.
 */
@Service
public class MeteringService {

    static final ProblemType PRICE_MISSING = new ProblemType("/problems/price-missing", 503,
            "No price for this operation");
    static final ProblemType OVERLOADED = new ProblemType("/problems/overloaded", 503,
            "Too many requests in progress");

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);

    private final QuotaService quotas;
    private final PriceBook prices;
    private final IdempotencyKeys idempotencyKeys;
    private final LedgerCommitter committer;
    private final UsageAlerts alerts;
    private final JsonMapper json;
    private final Clock clock;
    private final Semaphore bulkhead;
    private final int bulkheadSize;
    private final Counter shed;

    MeteringService(QuotaService quotas, PriceBook prices, IdempotencyKeys idempotencyKeys, LedgerCommitter committer,
            UsageAlerts alerts, JsonMapper json, Clock clock, MeterRegistry meters,
            BulkheadProperties bulkheadSettings) {
        int bulkheadSize = bulkheadSettings.maxInFlight();
        this.quotas = quotas;
        this.prices = prices;
        this.idempotencyKeys = idempotencyKeys;
        this.committer = committer;
        this.alerts = alerts;
        this.json = json;
        this.clock = clock;
        this.bulkhead = new Semaphore(bulkheadSize);
        this.bulkheadSize = bulkheadSize;
        this.shed = Counter.builder("latchkey.broker.shed")
                .description("Billable requests refused because too many were in progress").register(meters);
    }

    /**
     * Meters one billable request around the work that produces its result:
     * <ol>
     * <li>at most {@code latchkey.broker.max-in-flight} billable requests run at once on an
     *     instance; more get a 503 {@code /problems/overloaded} at once (queueing happens here, in
     *     one controlled place, not in the connection pool);</li>
     * <li>rate limits: the API key's own (if set) and the organization's — else 429
     *     {@code /problems/rate-limited};</li>
     * <li>with an Idempotency-Key: a retry of a completed request returns the first result
     *     ({@link Metered#replayed()}), without doing the work or billing again; the same key with
     *     another fingerprint is 422 {@code /problems/idempotency-key-reused}, and 409 while the
     *     first request is in flight; keys belong to the API key that used them;</li>
     * <li>the allowance is taken before the work from this instance's lease of the organization's
     *     monthly allowance (no database round trip but one per lease) — else 429
     *     {@code /problems/quota-exceeded}, and the provider is never called;</li>
     * <li>through the platform's managed credential, its platform-wide caps (requests per minute,
     *     requests per month) — else 429 {@code /problems/managed-capacity}, and the allowance goes
     *     back;</li>
     * <li>opens the credential and does the work; if it throws, the allowance and the idempotency
     *     claim are given back, nothing is billed (the decryption is still counted), and the
     *     exception propagates unchanged (the broker's 502/504 problem);</li>
     * <li>commits, in one group commit with other requests: the commit-time check that the key is
     *     not revoked and the organization not suspended (401 / 403), the allowance settled
     *     against its lease, the ledger row (priced from the price book), the idempotency record
     *     and the count of the credential's use. A commit that fails or times out is a 503:
     *     nothing is handed out;</li>
     * <li>only then returns the result — with the {@code RateLimit-*} headers the response must
     *     carry — and records any allowance threshold crossed (50/80/100 %) for usage alerts.</li>
     * </ol>
     * Call it outside any transaction. The result must be a JSON-serializable type (a record), as
     * {@code resultType}, so that a retry can get it back.
     */
    public <T> Metered<T> meter(BillableRequest request, BillableCredential credential, Class<T> resultType,
            Function<DecryptedCredential, T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("meter() must run outside a transaction: the ledger row must commit"
                    + " before the result is handed out");
        }
        if (!bulkhead.tryAcquire()) {
            shed.increment();
            throw new LatchkeyException(OVERLOADED, "More than " + bulkheadSize + " billable requests are in"
                    + " progress on this instance; retry shortly", List.of(), Map.of("Retry-After", "1"));
        }
        try {
            return meterAdmitted(request, credential, resultType, work);
        } finally {
            bulkhead.release();
        }
    }

    private <T> Metered<T> meterAdmitted(BillableRequest request, BillableCredential credential, Class<T> resultType,
            Function<DecryptedCredential, T> work) {
        Instant now = clock.instant();
        PriceBook.Price price = prices.at(request.provider(), request.operation(), credential.source(), now)
                .orElseThrow(() -> {
                    log.error("The price book has no price for {} {} ({}): the request is refused",
                            request.provider(), request.operation(), credential.source().value());
                    return new LatchkeyException(PRICE_MISSING, "This operation cannot be billed right now;"
                            + " quote the request id to support");
                });
        RateLimitDecision rate = quotas.admit(request.orgId(), request.apiKeyId());
        boolean idempotent = request.idempotencyKey() != null;
        if (idempotent && idempotencyKeys.claim(request) instanceof IdempotencyKeys.Replay replay) {
            T first = json.readValue(idempotencyKeys.open(request, replay), resultType);
            Map<String, String> headers = new HashMap<>(rate.headers());
            headers.put("Idempotent-Replayed", "true");
            return new Metered<>(first, replay.ledgerEntryId(), true, headers);
        }
        int lane = committer.laneFor();
        AllowanceGrant grant;
        try {
            grant = quotas.take(request.orgId(), request.quantity(), lane);
        } catch (RuntimeException refused) {
            giveBack(request, null, null);
            throw refused;
        }
        // A managed credential's platform-wide caps come after the organization's own limits, so a
        // request that its organization could not make never spends the platform's capacity.
        ManagedGrant managed = null;
        if (credential.managedCap() != null) {
            try {
                managed = quotas.takeManaged(credential.managedCap(), request.quantity());
            } catch (RuntimeException refused) {
                giveBack(request, grant, null);
                throw refused;
            }
        }
        DecryptedCredential opened = null;
        T result;
        try {
            opened = credential.open();
            result = work.apply(opened);
        } catch (RuntimeException | Error failed) {
            giveBack(request, grant, managed);
            if (opened != null) {
                countFailedUse(request, credential);
            }
            throw failed;
        }
        LedgerCommitter.Entry entry = new LedgerCommitter.Entry(lane, LedgerCommitter.Kind.LEASE, Ids.newId(), request,
                credential.credentialId(), credential.source(), price, grant.leaseId(),
                idempotent ? idempotencyKeys.seal(request, json.writeValueAsBytes(result)) : null,
                now.truncatedTo(ChronoUnit.MICROS));
        LedgerCommitter.Outcome outcome;
        try {
            outcome = committer.commit(entry);
        } catch (RuntimeException notBilled) {
            // Not billed, so not handed out: what was made is dropped (a token then expires unused).
            giveBack(request, grant, managed);
            throw notBilled;
        }
        if (!outcome.committed()) {
            giveBack(request, grant, managed);
            throw refusal(request, outcome);
        }
        quotas.settled(grant);
        if (managed != null) {
            quotas.settledManaged(managed);
        }
        if (outcome.usedAfter() != null && outcome.allowance() != null) {
            alerts.settled(request.orgId(), now, outcome.usedAfter(), outcome.allowance());
        }
        return new Metered<>(result, entry.ledgerId(), false, rate.headers());
    }

    private LatchkeyException refusal(BillableRequest request, LedgerCommitter.Outcome outcome) {
        return switch (outcome.status()) {
            case "revoked" -> new LatchkeyException(ApiKeyService.INVALID_KEY, "The API key was revoked or expired while the request"
                    + " was in progress; nothing was issued");
            case "suspended" -> new LatchkeyException(OrgAccess.ORG_SUSPENDED, "The organization was suspended while the request"
                    + " was in progress; nothing was issued");
            case "quota_exceeded" -> quotas.quotaExceeded(request.orgId());
            case "idempotency_lost" -> new LatchkeyException(IdempotencyKeys.KEY_IN_USE, "Another request took over this"
                    + " Idempotency-Key while this one was in progress; nothing was issued", List.of(),
                    Map.of("Retry-After", "1"));
            default -> new LatchkeyException(ProblemType.UNAVAILABLE, "The request could not be billed ("
                    + outcome.status() + "), so nothing was issued; retry shortly", List.of(), Map.of("Retry-After", "1"));
        };
    }

    private void giveBack(BillableRequest request, AllowanceGrant grant, ManagedGrant managed) {
        if (grant != null) {
            quotas.giveBack(grant);
        }
        if (managed != null) {
            quotas.giveBackManaged(managed);
        }
        if (request.idempotencyKey() == null) {
            return;
        }
        try {
            idempotencyKeys.abandon(request);
        } catch (RuntimeException e) {
            log.warn("Could not drop an idempotency claim; it lapses after its in-progress timeout", e);
        }
    }

    /** A credential opened for work that failed is a use all the same: counted, nothing billed. */
    private void countFailedUse(BillableRequest request, BillableCredential credential) {
        if (credential.credentialId() == null) {
            return;
        }
        try {
            committer.commit(new LedgerCommitter.Entry(committer.laneFor(), LedgerCommitter.Kind.AUDIT, Ids.newId(), request,
                    credential.credentialId(), credential.source(), null, null, null,
                    clock.instant().truncatedTo(ChronoUnit.MICROS)));
        } catch (RuntimeException e) {
            log.warn("Could not count a failed request's use of credential {}", credential.credentialId());
        }
    }
}

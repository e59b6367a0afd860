package dev.latchkey.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.quota.AllowanceReservation;
import dev.latchkey.quota.QuotaService;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to bill: every billable request (a token mint, a room, a proxied call) goes
 * through {@link #meter}, which limits it, bills it exactly once and only then hands out what
 * was minted.
 */
@Service
public class MeteringService {

    static final ProblemType PRICE_MISSING = new ProblemType("/problems/price-missing", 503,
            "No price for this operation");

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);

    private final QuotaService quotas;
    private final PriceBook prices;
    private final LedgerEntries ledger;
    private final IdempotencyKeys idempotencyKeys;
    private final UsageAlerts alerts;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    MeteringService(QuotaService quotas, PriceBook prices, LedgerEntries ledger, IdempotencyKeys idempotencyKeys,
            UsageAlerts alerts, PlatformTransactionManager transactions, JsonMapper json, Clock clock) {
        this.quotas = quotas;
        this.prices = prices;
        this.ledger = ledger;
        this.idempotencyKeys = idempotencyKeys;
        this.alerts = alerts;
        this.transactions = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
    }

    /**
     * Meters one billable request around the call that produces its result:
     * <ol>
     * <li>rate limits: the API key's own (if set) and the organization's — else 429
     *     {@code /problems/rate-limited};</li>
     * <li>with an Idempotency-Key: a retry of a completed request returns the first result
     *     ({@link Metered#replayed()}), without calling {@code mint} or billing again; the same key
     *     with another fingerprint is 422 {@code /problems/idempotency-key-reused}, and 409 while
     *     the first request is in flight;</li>
     * <li>reserves the quantity from the monthly allowance in PostgreSQL (committed at once) — else
     *     429 {@code /problems/quota-exceeded};</li>
     * <li>calls {@code mint} (the upstream call); if it throws, the reservation and the
     *     idempotency claim are released, nothing is billed, and the exception propagates
     *     unchanged (the broker's 502/504 problem);</li>
     * <li>commits, in one transaction, the ledger row (priced from the price book), the settled
     *     reservation and the idempotency record with the result;</li>
     * <li>only then returns the result — with the {@code RateLimit-*} headers the response must
     *     carry — and records any allowance threshold crossed (50/80/100 %) for usage alerts.</li>
     * </ol>
     * Call it outside any transaction: the ledger row must commit before the result is returned.
     * The result must be a JSON-serializable type (a record), as {@code resultType}, so that
     * a retry can get it back.
     *
     * @throws LatchkeyException 429, 409, 422 as above, or 503 {@code /problems/price-missing}
     *         when the price book has no price for the event (nothing is minted then)
     */
    public <T> Metered<T> meter(BillableRequest request, Class<T> resultType, Supplier<T> mint) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("meter() must run outside a transaction: the ledger row must commit"
                    + " before the result is handed out");
        }
        PriceBook.Price price = prices.at(request.provider(), request.operation(), request.credentialSource(),
                clock.instant()).orElseThrow(() -> {
                    log.error("The price book has no price for {} {} ({}): the request is refused",
                            request.provider(), request.operation(), request.credentialSource().value());
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
        AllowanceReservation reservation;
        try {
            reservation = quotas.reserve(request.orgId(), request.quantity());
        } catch (RuntimeException refused) {
            abandon(request);
            throw refused;
        }
        T result;
        try {
            result = mint.get();
        } catch (RuntimeException | Error failed) {
            giveBack(request, reservation);
            throw failed;
        }
        UUID entryId;
        try {
            byte[] stored = idempotent ? json.writeValueAsBytes(result) : null;
            entryId = transactions.execute(status -> {
                UUID id = ledger.appendCharge(request, price, clock.instant().truncatedTo(ChronoUnit.MICROS));
                quotas.settle(reservation);
                if (idempotent) {
                    idempotencyKeys.complete(request, id, stored);
                }
                return id;
            });
        } catch (RuntimeException notBilled) {
            // Not billed, so not handed out: the minted token is dropped and expires unused.
            giveBack(request, reservation);
            throw notBilled;
        }
        alerts.settled(reservation);
        return new Metered<>(result, entryId, false, rate.headers());
    }

    private void giveBack(BillableRequest request, AllowanceReservation reservation) {
        try {
            quotas.release(reservation);
        } catch (RuntimeException e) {
            log.warn("Could not release allowance reservation {}; the sweeper will", reservation.id(), e);
        }
        abandon(request);
    }

    private void abandon(BillableRequest request) {
        if (request.idempotencyKey() == null) {
            return;
        }
        try {
            idempotencyKeys.abandon(request);
        } catch (RuntimeException e) {
            log.warn("Could not drop an idempotency claim; it lapses after its in-progress timeout", e);
        }
    }
}

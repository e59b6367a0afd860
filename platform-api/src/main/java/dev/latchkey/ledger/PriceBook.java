package dev.latchkey.ledger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.kernel.Provider;

/**
 * Unit prices from the {@code price_book} table, by provider, operation and credential source,
 * as of an instant. Each key's rows are cached for {@code latchkey.ledger.price-cache-ttl} and
 * dropped on every instance when the price book changes (a trigger notifies); the
 * row in force is chosen per event, so a price that takes effect at midnight applies from
 * midnight exactly.
 */
@Component
class PriceBook {

    record Price(UUID id, long unitPriceMicros, String currency, Instant effectiveFrom, Instant effectiveTo) {
        boolean inForceAt(Instant instant) {
            return !instant.isBefore(effectiveFrom) && (effectiveTo == null || instant.isBefore(effectiveTo));
        }
    }

    private record Key(String provider, String operation, CredentialSource source) {
    }

    private final JdbcClient jdbc;
    private final RefreshingCache<Key, List<Price>> cache;

    PriceBook(JdbcClient jdbc, CacheLoaders loaders, ChangeFeed changes) {
        this.jdbc = jdbc;
        // A change reaches every instance at once through the change feed; this is the backstop.
        this.cache = loaders.cache(Duration.ofSeconds(30), 10_000, this::load);
        changes.subscribe("prices", change -> cache.invalidateAll());
    }

    /** The price in force at {@code at}; of several, the one that took effect last. */
    Optional<Price> at(Provider provider, String operation, CredentialSource source, Instant at) {
        return cache.get(new Key(provider.id(), operation, source)).stream()
                .filter(price -> price.inForceAt(at))
                .findFirst();
    }

    private List<Price> load(Key key) {
        return jdbc.sql("""
                SELECT id, unit_price_micros, currency, effective_from, effective_to FROM price_book
                WHERE provider = :provider AND operation = :operation AND credential_source = :source
                ORDER BY effective_from DESC""")
                .param("provider", key.provider()).param("operation", key.operation())
                .param("source", key.source().value())
                .query((rs, n) -> {
                    Timestamp to = rs.getTimestamp("effective_to");
                    return new Price(rs.getObject("id", UUID.class), rs.getLong("unit_price_micros"),
                            rs.getString("currency"), rs.getTimestamp("effective_from").toInstant(),
                            to == null ? null : to.toInstant());
                })
                .list();
    }
}

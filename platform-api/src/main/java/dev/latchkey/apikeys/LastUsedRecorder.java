package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code last_used_at} off the hot path: uses are noted in memory and written in one
 * batch every few seconds.
 */
@Component
class LastUsedRecorder {

    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();
    private final ApiKeyRepository keys;
    private final TransactionTemplate transactions;

    LastUsedRecorder(ApiKeyRepository keys, TransactionTemplate transactions) {
        this.keys = keys;
        this.transactions = transactions;
    }

    void touch(UUID apiKeyId, Instant usedAt) {
        pending.merge(apiKeyId, usedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Scheduled(fixedDelay = 5, timeUnit = TimeUnit.SECONDS)
    @PreDestroy
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> pending.keySet().forEach(id -> {
            Instant usedAt = pending.remove(id);
            if (usedAt != null) {
                keys.touch(id, usedAt);
            }
        }));
    }
}

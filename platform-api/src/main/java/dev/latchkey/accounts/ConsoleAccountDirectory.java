package dev.latchkey.accounts;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.kernel.Caller;
import dev.latchkey.web.ConsoleAccounts;

/**
 * Console users' accounts as they are now, read for each API request and cached for
 * {@link #CACHE_TTL} on each instance: revoking {@code platform_admin} in the database reaches
 * every instance within that time.
 */
@Component
class ConsoleAccountDirectory implements ConsoleAccounts {

    static final Duration CACHE_TTL = Duration.ofMillis(500);

    private final UserRepository users;
    private final TransactionTemplate readOnly;
    private final Cache<UUID, Optional<Caller.User>> cache = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();

    ConsoleAccountDirectory(UserRepository users, PlatformTransactionManager transactions) {
        this.users = users;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    @Override
    public Optional<Caller.User> current(UUID userId) {
        return cache.get(userId, id -> readOnly.execute(status -> users.findById(id)
                .map(user -> new Caller.User(user.id(), user.email(), user.platformAdmin()))));
    }
}

package dev.latchkey.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;

/** Issues and redeems the links of {@link AccountToken}: a new one replaces the unused older ones. */
@Component
class AccountTokens {

    private final AccountTokenRepository tokens;
    private final SecretTokens secrets;
    private final AccountThrottles throttles;
    private final Clock clock;

    AccountTokens(AccountTokenRepository tokens, SecretTokens secrets, AccountThrottles throttles, Clock clock) {
        this.tokens = tokens;
        this.secrets = secrets;
        this.throttles = throttles;
        this.clock = clock;
    }

    /** A new link token for the user's current email; the open ones of the purpose stop working. */
    String issue(User user, AccountToken.Purpose purpose, Duration lifetime) {
        Instant now = clock.instant();
        tokens.findOpen(user.id(), purpose.value).forEach(open -> open.replace(now));
        String token = secrets.generate(purpose.prefix);
        tokens.save(new AccountToken(UUID.randomUUID(), user.id(), purpose, secrets.hash(token), user.email(), now,
                now.plus(lifetime)));
        return token;
    }

    /**
     * The usable link of {@code token}, locked and marked used. Throttled per client address; a malformed or unknown token is a 404, a used, expired or replaced one a 410.
     */
    AccountToken redeem(String token, AccountToken.Purpose purpose) {
        String candidate = token == null ? "" : token.trim();
        throttles.requireFromAddress(AccountThrottles.Action.LINK);
        String parsed = secrets.parse(purpose.prefix, candidate).orElseThrow(AccountTokens::notFound);
        AccountToken link = tokens.lockByTokenHash(secrets.hash(parsed), purpose.value).orElseThrow(AccountTokens::notFound);
        Instant now = clock.instant();
        switch (link.state(now)) {
            case USABLE -> link.use(now);
            case USED -> throw new LatchkeyException(AccountProblems.LINK_UNUSABLE,
                    "This link was already used; a link works once. Ask for a new one");
            case REPLACED -> throw new LatchkeyException(AccountProblems.LINK_UNUSABLE,
                    "A newer link was sent since; use the newest one, or ask for a new one");
            case EXPIRED -> throw new LatchkeyException(AccountProblems.LINK_UNUSABLE,
                    "This link expired at " + link.expiresAt() + ". Ask for a new one");
        }
        return link;
    }

    private static LatchkeyException notFound() {
        return new LatchkeyException(AccountProblems.LINK_NOT_FOUND,
                "No link has this token; check that the whole link was copied, or ask for a new one");
    }
}

package dev.latchkey.accounts;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.ratelimit.RateLimit;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.ratelimit.RateLimiter;
import dev.latchkey.web.RequestMetadata;

/**
 * Anti-automation for the account endpoints that cost the platform (a bcrypt hash, a new tenant,
 * audit rows) or that someone could probe: each action is limited per client address and per
 * account (the email for signup and login, the user otherwise), in buckets shared by every
 * instance. Each action reads {@code latchkey.accounts.<name>-throttle.per-account},
 * {@code .per-ip} and {@code .period} ({@link AccountsProperties}), and keeps its own default for
 * what is not set; a refusal is a 429 with {@code Retry-After}.
 */
@Component
class AccountThrottles {

    enum Action {
        LOGIN("login", "login attempts", 10, 100, Duration.ofMinutes(10)),
        SIGNUP("signup", "signups", 5, 20, Duration.ofHours(1)),
        ORGANIZATION_CREATION("org-creation", "new organizations", 10, 30, Duration.ofHours(1)),
        INVITATION("invitation", "invitations", 50, 200, Duration.ofHours(1)),
        INVITATION_ACCEPTANCE("invitation-acceptance", "invitation checks", 20, 60, Duration.ofMinutes(10)),
        PASSWORD_RESET("password-reset", "password reset requests", 5, 20, Duration.ofHours(1)),
        EMAIL_VERIFICATION("email-verification", "verification mails", 5, 30, Duration.ofHours(1)),
        /** Second-factor codes tried (login, disabling MFA, new recovery codes): 6 digits must not be guessed. */
        MFA("mfa", "two-factor codes", 10, 100, Duration.ofMinutes(10)),
        /** Links presented (email verification, password reset): they are 256-bit, but each costs a lookup. */
        LINK("link", "links", 20, 60, Duration.ofMinutes(10));

        private final String name;
        private final String what;
        private final long perAccount;
        private final long perIp;
        private final Duration period;

        Action(String name, String what, long perAccount, long perIp, Duration period) {
            this.name = name;
            this.what = what;
            this.perAccount = perAccount;
            this.perIp = perIp;
            this.period = period;
        }
    }

    private record Limits(RateLimit perAccount, RateLimit perIp) {
    }

    private final RateLimiter rateLimiter;
    private final Map<Action, Limits> limits = new EnumMap<>(Action.class);

    AccountThrottles(RateLimiter rateLimiter, AccountsProperties settings) {
        this.rateLimiter = rateLimiter;
        for (Action action : Action.values()) {
            AccountsProperties.Throttle configured = configured(settings, action);
            Duration period = orDefault(configured.period(), action.period);
            limits.put(action, new Limits(new RateLimit(orDefault(configured.perAccount(), action.perAccount), period),
                    new RateLimit(orDefault(configured.perIp(), action.perIp), period)));
        }
    }

    private static AccountsProperties.Throttle configured(AccountsProperties settings, Action action) {
        AccountsProperties.Throttle throttle = switch (action) {
            case LOGIN -> settings.loginThrottle();
            case SIGNUP -> settings.signupThrottle();
            case ORGANIZATION_CREATION -> settings.orgCreationThrottle();
            case INVITATION -> settings.invitationThrottle();
            case INVITATION_ACCEPTANCE -> settings.invitationAcceptanceThrottle();
            case PASSWORD_RESET -> settings.passwordResetThrottle();
            case EMAIL_VERIFICATION -> settings.emailVerificationThrottle();
            case MFA -> settings.mfaThrottle();
            case LINK -> settings.linkThrottle() == null ? null
                    : new AccountsProperties.Throttle(null, settings.linkThrottle().perIp(), settings.linkThrottle().period());
        };
        return throttle == null ? new AccountsProperties.Throttle(null, null, null) : throttle;
    }

    private static <T> T orDefault(T configured, T fallback) {
        return configured == null ? fallback : configured;
    }

    /** Takes one try of {@code action} for {@code account} and for the client's address; 429 when either is used up. */
    void require(Action action, String account) {
        Limits limit = limits.get(action);
        take(action, "account:" + account.toLowerCase(Locale.ROOT), limit.perAccount(), "for this account");
        take(action, "ip:" + RequestMetadata.current().ip(), limit.perIp(), "from this address");
    }

    /** Takes one try of {@code action} for the client's address only (no account to count it against). */
    void requireFromAddress(Action action) {
        take(action, "ip:" + RequestMetadata.current().ip(), limits.get(action).perIp(), "from this address");
    }

    private void take(Action action, String who, RateLimit limit, String scope) {
        RateLimitDecision decision = rateLimiter.tryConsume("accounts:" + action.name + ":" + who, limit);
        if (!decision.allowed()) {
            throw new LatchkeyException(ProblemType.RATE_LIMITED, "Too many " + action.what + " " + scope
                    + "; try again in " + decision.headers().get("Retry-After") + " seconds", List.of(),
                    decision.headers());
        }
    }
}

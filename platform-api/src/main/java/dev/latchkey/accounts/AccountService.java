package dev.latchkey.accounts;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.ratelimit.RateLimit;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.ratelimit.RateLimiter;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;
import dev.latchkey.web.RequestMetadata;

/** Signup, login and the signed-in user's view of themselves. */
@Service
public class AccountService {

    static final ProblemType INVALID_CREDENTIALS =
            new ProblemType("/problems/invalid-credentials", 401, "Invalid email or password");
    static final ProblemType EMAIL_TAKEN =
            new ProblemType("/problems/email-taken", 409, "Email already registered");

    /** bcrypt reads at most 72 bytes; a longer password would be silently truncated. */
    private static final int MAX_PASSWORD_BYTES = 72;

    private final UserRepository users;
    private final OrganizationService organizations;
    private final MembershipRepository memberships;
    private final InvitationRepository invitations;
    private final PasswordEncoder passwordEncoder;
    private final AuditService audit;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final RateLimit loginPerAccount;
    private final RateLimit loginPerIp;
    private final String timingEqualizerHash;

    AccountService(UserRepository users, OrganizationService organizations, MembershipRepository memberships,
            InvitationRepository invitations, PasswordEncoder passwordEncoder, AuditService audit,
            RateLimiter rateLimiter, Clock clock, SecureRandom random,
            @Value("${latchkey.accounts.login-throttle.per-account:10}") long loginsPerAccount,
            @Value("${latchkey.accounts.login-throttle.per-ip:100}") long loginsPerIp,
            @Value("${latchkey.accounts.login-throttle.period:10m}") Duration throttlePeriod) {
        this.users = users;
        this.organizations = organizations;
        this.memberships = memberships;
        this.invitations = invitations;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.loginPerAccount = new RateLimit(loginsPerAccount, throttlePeriod);
        this.loginPerIp = new RateLimit(loginsPerIp, throttlePeriod);
        byte[] noise = new byte[16];
        random.nextBytes(noise);
        this.timingEqualizerHash = passwordEncoder.encode(UUID.nameUUIDFromBytes(noise).toString());
    }

    public record Signup(String email, String password, String name, String organizationName) {
    }

    @Transactional
    public SignupResult signup(Signup signup) {
        checkPasswordLength(signup.password());
        String email = signup.email().trim();
        if (users.findByEmail(email).isPresent()) {
            throw new LatchkeyException(EMAIL_TAKEN, "An account with this email already exists; log in instead");
        }
        Instant now = clock.instant();
        User user = users.saveAndFlush(new User(UUID.randomUUID(), email, signup.name().trim(),
                passwordEncoder.encode(signup.password()), false, now));
        Organization organization = organizations.create(signup.organizationName().trim(), user.id());
        for (Invitation invitation : invitations.findByEmail(email)) {
            memberships.save(new Membership(invitation.orgId(), user.id(), invitation.role(), now));
            invitations.delete(invitation);
            audit.record(AuditEvent.success("membership.invitation_accepted").byUser(user.id())
                    .org(invitation.orgId()).target("user", user.id()).detail("role", invitation.role().value())
                    .build());
        }
        audit.record(AuditEvent.success("user.signup").byUser(user.id()).org(organization.id())
                .target("user", user.id()).build());
        return new SignupResult(UserView.of(user), OrganizationView.of(organization, Role.OWNER));
    }

    /**
     * Checks the credentials, throttled per account and per client address. A failure is
     * audited and answers the same whether or not the account exists.
     */
    @Transactional
    public SessionView login(String email, String password) {
        String account = email.trim().toLowerCase(Locale.ROOT);
        throttle("login:account:" + account, loginPerAccount);
        String ip = RequestMetadata.current().ip();
        throttle("login:ip:" + ip, loginPerIp);
        User user = users.findByEmail(account).orElse(null);
        boolean matches = passwordEncoder.matches(password,
                user == null ? timingEqualizerHash : user.passwordHash());
        if (user == null || !matches) {
            audit.recordIndependently(AuditEvent.failure("auth.login").anonymous()
                    .target("user", user == null ? null : user.id())
                    .detail("reason", user == null ? "unknown_email" : "wrong_password").build());
            throw new LatchkeyException(INVALID_CREDENTIALS, "The email or password is not correct");
        }
        audit.record(AuditEvent.success("auth.login").byUser(user.id()).target("user", user.id()).build());
        return sessionView(user);
    }

    @Transactional(readOnly = true)
    public SessionView me(Caller.User caller) {
        User user = users.findById(caller.userId())
                .orElseThrow(() -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
        return sessionView(user);
    }

    public void recordLogout(Caller.User caller) {
        audit.record(AuditEvent.success("auth.logout").byUser(caller.userId()).target("user", caller.userId())
                .build());
    }

    /** The caller identity a session stores; read again from the database on every /v1/me. */
    public Caller.User callerOf(UserView user) {
        return new Caller.User(user.id(), user.email(), user.platformAdmin());
    }

    private SessionView sessionView(User user) {
        List<OrganizationView> organizationViews = organizations.viewsFor(memberships.findByUser(user.id()));
        return new SessionView(UserView.of(user), organizationViews);
    }

    private void throttle(String key, RateLimit limit) {
        RateLimitDecision decision = rateLimiter.tryConsume(key, limit);
        if (!decision.allowed()) {
            throw new LatchkeyException(ProblemType.RATE_LIMITED,
                    "Too many login attempts; try again in " + decision.headers().get("Retry-After") + " seconds",
                    List.of(), decision.headers());
        }
    }

    static void checkPasswordLength(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw LatchkeyException.invalidField("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
    }
}

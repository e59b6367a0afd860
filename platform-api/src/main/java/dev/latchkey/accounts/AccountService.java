package dev.latchkey.accounts;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/** Signup, login and the signed-in user's view of themselves. */
@Service
public class AccountService {

    static final ProblemType INVALID_CREDENTIALS =
            new ProblemType("/problems/invalid-credentials", 401, "Invalid email or password");
    /**
     * Signup with an email that has an account. This tells whoever tries that the email is
     * registered; until the account lifecycle verifies emails by mail (so that signup can answer
     * the same either way), the signup throttle bounds how many emails one can probe.
     */
    static final ProblemType EMAIL_TAKEN =
            new ProblemType("/problems/email-taken", 409, "Email already registered");

    /** bcrypt reads at most 72 bytes; a longer password would be silently truncated. */
    private static final int MAX_PASSWORD_BYTES = 72;

    private final UserRepository users;
    private final OrganizationService organizations;
    private final MembershipRepository memberships;
    private final PasswordEncoder passwordEncoder;
    private final AuditService audit;
    private final AccountThrottles throttles;
    private final Clock clock;
    private final String timingEqualizerHash;
    private final AccountSecurity security;
    private final MemberService members;
    private final TwoFactor twoFactor;

    AccountService(UserRepository users, OrganizationService organizations, MembershipRepository memberships,
            PasswordEncoder passwordEncoder, AuditService audit, AccountThrottles throttles, Clock clock,
            SecureRandom random, AccountSecurity security, MemberService members, TwoFactor twoFactor) {
        this.security = security;
        this.members = members;
        this.twoFactor = twoFactor;
        this.users = users;
        this.organizations = organizations;
        this.memberships = memberships;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.throttles = throttles;
        this.clock = clock;
        byte[] noise = new byte[16];
        random.nextBytes(noise);
        this.timingEqualizerHash = passwordEncoder.encode(UUID.nameUUIDFromBytes(noise).toString());
    }

    /** {@code invitationToken}: join the invitation's organization instead of creating one. */
    public record Signup(String email, String password, String name, String organizationName,
            String invitationToken) {
        @Override
        public String toString() {
            return "Signup[email=" + email + ", password=***, name=" + name + ", organizationName=" + organizationName
                    + ", invitationToken=" + (invitationToken == null ? null : "***") + "]";
        }
    }

    /** Login's answer: signed in, or the password was right and the account's second factor is next. */
    public sealed interface LoginOutcome permits SignedIn, SecondFactorNeeded {
    }

    public record SignedIn(SessionView session) implements LoginOutcome {
    }

    public record SecondFactorNeeded(UUID userId) implements LoginOutcome {
    }

    /**
     * A new account, signed in: the owner of a new organization, or, with an invitation token, a
     * member of the invitation's organization and of no organization of its own. Throttled per
     * email and per client address. It never joins an organization without a token.
     */
    @Transactional
    public SignupResult signup(Signup signup) {
        String email = signup.email().trim();
        throttles.require(AccountThrottles.Action.SIGNUP, email);
        checkPasswordLength(signup.password());
        boolean invited = signup.invitationToken() != null && !signup.invitationToken().isBlank();
        if (!invited && (signup.organizationName() == null || signup.organizationName().isBlank())) {
            throw LatchkeyException.invalidField("organization_name",
                    "must not be blank (or sign up with an invitation_token to join that organization instead)");
        }
        if (users.findByEmail(email).isPresent()) {
            throw new LatchkeyException(EMAIL_TAKEN, "An account with this email already exists; log in instead");
        }
        Instant now = clock.instant();
        User user = users.saveAndFlush(new User(UUID.randomUUID(), email, signup.name().trim(),
                passwordEncoder.encode(signup.password()), false, now));
        OrganizationView organization;
        if (invited) {
            organization = members.acceptAsNewAccount(user.id(), signup.invitationToken());
        } else {
            organization = OrganizationView.of(organizations.create(signup.organizationName().trim(), user.id()),
                    Role.OWNER);
        }
        audit.record(AuditEvent.success("user.signup").byUser(user.id()).org(organization.id())
                .target("user", user.id()).detail("joined_by_invitation", invited).build());
        security.afterSignup(user);
        return new SignupResult(UserView.of(user), organization);
    }

    /**
     * Checks the credentials, throttled per account and per client address. A failure is
     * audited and answers the same whether or not the account exists.
     */
    @Transactional
    public LoginOutcome login(String email, String password) {
        String account = email.trim().toLowerCase(Locale.ROOT);
        throttles.require(AccountThrottles.Action.LOGIN, account);
        User user = users.findByEmail(account).orElse(null);
        boolean matches = passwordEncoder.matches(password,
                user == null ? timingEqualizerHash : user.passwordHash());
        if (user == null || !matches) {
            audit.recordIndependently(AuditEvent.failure("auth.login").anonymous()
                    .target("user", user == null ? null : user.id())
                    .detail("reason", user == null ? "unknown_email" : "wrong_password").build());
            throw new LatchkeyException(INVALID_CREDENTIALS, "The email or password is not correct");
        }
        if (user.mfaEnabled()) {
            return new SecondFactorNeeded(user.id());
        }
        audit.record(AuditEvent.success("auth.login").byUser(user.id()).target("user", user.id()).build());
        return new SignedIn(sessionView(user));
    }

    /**
     * The second step of a login whose password was right: a current TOTP code (of a step not used
     * before) or an unused recovery code. Throttled per account; a wrong code is audited.
     */
    @Transactional(noRollbackFor = LatchkeyException.class)
    public SessionView completeSecondFactor(UUID userId, String code) {
        throttles.require(AccountThrottles.Action.MFA, userId.toString());
        User user = users.lockById(userId).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
        String method = twoFactor.verify(user, code).orElse(null);
        if (method == null) {
            audit.record(AuditEvent.failure("auth.login").anonymous().target("user", user.id())
                    .detail("reason", "wrong_second_factor").build());
            throw new LatchkeyException(AccountProblems.INVALID_MFA_CODE, "The code is not right: enter the current"
                    + " code of your authenticator app (each works once) or one of your unused recovery codes");
        }
        audit.record(AuditEvent.success("auth.login").byUser(user.id()).target("user", user.id())
                .detail("second_factor", method).build());
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
        return new SessionView(UserView.of(user), organizationViews, security.verificationRequired());
    }

    static void checkPasswordLength(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw LatchkeyException.invalidField("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
    }
}

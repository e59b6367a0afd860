package dev.latchkey.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.mail.MailOutbox;
import dev.latchkey.web.RequestMetadata;

/**
 * The account's own security: verifying the email, changing and resetting the password, and the
 * rule that an unverified account may look around but not add credentials, create keys or invite
 * while {@code latchkey.accounts.require-email-verification} is on.
 */
@Service
public class AccountSecurity {

    private final UserRepository users;
    private final AccountTokens tokens;
    private final PasswordEncoder passwords;
    private final AccountThrottles throttles;
    private final AuditService audit;
    private final MailOutbox mail;
    private final Clock clock;
    private final boolean verificationRequired;

    AccountSecurity(UserRepository users, AccountTokens tokens, PasswordEncoder passwords, AccountThrottles throttles,
            AuditService audit, MailOutbox mail, Clock clock,
            AccountsProperties settings) {
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.throttles = throttles;
        this.audit = audit;
        this.mail = mail;
        this.clock = clock;
        this.verificationRequired = settings.requireEmailVerification();
    }

    boolean verificationRequired() {
        return verificationRequired;
    }

    /** Refuses an unverified account while verification is required: for adding credentials, keys and invitations. */
    void requireVerifiedEmail(Caller.User caller, UUID orgId, String action) {
        if (!verificationRequired) {
            return;
        }
        boolean verified = users.findById(caller.userId()).map(User::emailVerified).orElse(false);
        if (!verified) {
            audit.recordAfterCompletion(AuditEvent.denied("access.denied").by(caller).org(orgId)
                    .target("user", caller.userId()).detail("permission", action).detail("reason", "email_unverified")
                    .build());
            throw new LatchkeyException(AccountProblems.EMAIL_UNVERIFIED, "Verify your email first: open the link we"
                    + " sent to " + caller.email() + " (POST /v1/me/email-verification sends a new one). Until then"
                    + " you cannot add credentials, create API keys or invite anyone");
        }
    }

    /** Queues a verification mail for a new account, when verification is required. */
    void afterSignup(User user) {
        if (verificationRequired) {
            mail.enqueue(AccountMails.EMAIL_VERIFICATION, user.email(), Map.of("user_id", user.id().toString()));
        }
    }

    /** Sends a new verification link (the previous one stops working); throttled. */
    @Transactional
    public void sendVerification(Caller.User caller) {
        throttles.require(AccountThrottles.Action.EMAIL_VERIFICATION, caller.userId().toString());
        User user = users.findById(caller.userId()).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
        if (user.emailVerified()) {
            throw new LatchkeyException(ProblemType.CONFLICT, "Your email " + user.email() + " is already verified");
        }
        mail.enqueue(AccountMails.EMAIL_VERIFICATION, user.email(), Map.of("user_id", user.id().toString()));
        audit.record(AuditEvent.success("user.email_verification_sent").by(caller).target("user", user.id()).build());
    }

    /** Follows a verification link: whoever holds it (signed in or not, in any browser) verifies that address. */
    @Transactional
    public void verifyEmail(String token) {
        AccountToken link = tokens.redeem(token, AccountToken.Purpose.EMAIL_VERIFICATION);
        User user = users.findById(link.userId()).orElseThrow(() -> new LatchkeyException(
                AccountProblems.LINK_UNUSABLE, "The account of this link no longer exists"));
        if (!user.email().equalsIgnoreCase(link.email())) {
            throw new LatchkeyException(AccountProblems.LINK_UNUSABLE, "This link was sent to another address");
        }
        if (!user.emailVerified()) {
            user.verifyEmail(clock.instant());
        }
        audit.record(AuditEvent.success("user.email_verified").byUser(user.id()).target("user", user.id()).build());
    }

    /**
     * Asks for a password reset link. The same answer, after the same work, whether or not an
     * account has the address: one queued mail and one audit row; whether a mail is sent is decided
     * when the outbox composes it. Throttled per address and per client.
     */
    @Transactional
    public void requestPasswordReset(String email) {
        String address = email.strip();
        throttles.require(AccountThrottles.Action.PASSWORD_RESET, address.toLowerCase(Locale.ROOT));
        mail.enqueue(AccountMails.PASSWORD_RESET, address, Map.of());
        audit.record(AuditEvent.success("auth.password_reset_requested").anonymous().build());
    }

    /**
     * Sets a new password with a reset link: every session of the account ends (also any that an
     * intruder holds), the change is audited and the owner notified by mail. Having the link also
     * proves the address, so an unverified one becomes verified. Two-factor authentication stays:
     * the next login still asks for the code.
     */
    @Transactional
    public void resetPassword(String token, String newPassword, ToIntFunction<UUID> endAllSessions) {
        AccountService.checkPasswordLength(newPassword);
        AccountToken link = tokens.redeem(token, AccountToken.Purpose.PASSWORD_RESET);
        User user = users.lockById(link.userId()).orElseThrow(() -> new LatchkeyException(
                AccountProblems.LINK_UNUSABLE, "The account of this link no longer exists"));
        if (!user.email().equalsIgnoreCase(link.email())) {
            throw new LatchkeyException(AccountProblems.LINK_UNUSABLE, "This link was sent to another address");
        }
        Instant now = clock.instant();
        user.changePasswordHash(passwords.encode(newPassword), now);
        if (!user.emailVerified()) {
            user.verifyEmail(now);
        }
        int ended = endAllSessions.applyAsInt(user.id());
        audit.record(AuditEvent.success("auth.password_reset").byUser(user.id()).target("user", user.id())
                .detail("sessions_ended", ended).build());
        notifyPasswordChanged(user, "reset", now);
    }

    /** Changes the password with the current one; every other session of the user ends. */
    @Transactional
    public void changePassword(Caller.User caller, String currentPassword, String newPassword,
            IntSupplier endOtherSessions) {
        AccountService.checkPasswordLength(newPassword);
        throttles.require(AccountThrottles.Action.LOGIN, caller.email().toLowerCase(Locale.ROOT));
        User user = users.lockById(caller.userId()).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
        if (currentPassword == null || !passwords.matches(currentPassword, user.passwordHash())) {
            audit.recordIndependently(AuditEvent.failure("user.password_changed").by(caller).target("user", user.id())
                    .detail("reason", "wrong_password").build());
            throw LatchkeyException.invalidField("current_password", "is not your current password");
        }
        Instant now = clock.instant();
        user.changePasswordHash(passwords.encode(newPassword), now);
        int ended = endOtherSessions.getAsInt();
        audit.record(AuditEvent.success("user.password_changed").by(caller).target("user", user.id())
                .detail("other_sessions_ended", ended).build());
        notifyPasswordChanged(user, "changed", now);
    }

    private void notifyPasswordChanged(User user, String how, Instant now) {
        String ip = RequestMetadata.current().ip();
        mail.enqueue(AccountMails.PASSWORD_CHANGED, user.email(), Map.of("user_id", user.id().toString(), "how", how,
                "at", now.toString(), "ip", ip == null ? "" : ip));
    }
}

package dev.latchkey.accounts;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.IntSupplier;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.mail.MailOutbox;

/**
 * Two-factor authentication: TOTP (RFC 6238) enrolled by scanning an {@code otpauth://} URI and
 * confirmed with a first code, and ten single-use recovery codes shown once. The shared secret is
 * stored sealed ({@link AccountSecrets}), recovery codes as peppered hashes. An accepted TOTP step
 * is remembered, so the same code (or an older one) never works twice.
 */
@Service
public class TwoFactor {

    static final String ISSUER = "Latchkey";
    static final int RECOVERY_CODES = 10;
    private static final String SECRET_PURPOSE = "totp";
    private static final String RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    /** A started enrolment: the secret to type in by hand, and the URI an app scans (the console draws its QR code). */
    public record Enrolment(String secret, String otpauthUri) {
        @Override
        public String toString() {
            return "Enrolment[secret=***, otpauthUri=***]";
        }
    }

    /** Recovery codes, shown once. */
    public record RecoveryCodes(List<String> recoveryCodes) {
        @Override
        public String toString() {
            return "RecoveryCodes[" + recoveryCodes.size() + " codes ***]";
        }
    }

    /** What the account has: whether MFA is on, since when, and how many recovery codes are left. */
    public record Status(boolean enabled, Instant enabledAt, long recoveryCodesRemaining) {
    }

    private final UserRepository users;
    private final RecoveryCodeRepository recoveryCodes;
    private final AccountSecrets secrets;
    private final SecretTokens hashes;
    private final PasswordEncoder passwords;
    private final AccountThrottles throttles;
    private final AuditService audit;
    private final MailOutbox mail;
    private final SecureRandom random;
    private final Clock clock;

    TwoFactor(UserRepository users, RecoveryCodeRepository recoveryCodes, AccountSecrets secrets, SecretTokens hashes,
            PasswordEncoder passwords, AccountThrottles throttles, AuditService audit, MailOutbox mail,
            SecureRandom random, Clock clock) {
        this.users = users;
        this.recoveryCodes = recoveryCodes;
        this.secrets = secrets;
        this.hashes = hashes;
        this.passwords = passwords;
        this.throttles = throttles;
        this.audit = audit;
        this.mail = mail;
        this.random = random;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Status status(Caller.User caller) {
        User user = user(caller.userId());
        return new Status(user.mfaEnabled(), user.mfaEnabledAt(), recoveryCodes.countUnused(user.id()));
    }

    /** A new secret for the user to enrol; it takes effect once a code of it is confirmed. */
    @Transactional
    public Enrolment begin(Caller.User caller) {
        User user = locked(caller.userId());
        if (user.mfaEnabled()) {
            throw new LatchkeyException(ProblemType.CONFLICT,
                    "Two-factor authentication is already on; turn it off first to enrol another authenticator");
        }
        byte[] secret = new byte[Totp.SECRET_BYTES];
        random.nextBytes(secret);
        user.startTotpEnrolment(secrets.seal(user.id(), SECRET_PURPOSE, secret), clock.instant());
        audit.record(AuditEvent.success("mfa.enrolment_started").by(caller).target("user", user.id()).build());
        return new Enrolment(Base32.encode(secret), Totp.uri(ISSUER, user.email(), secret));
    }

    /** Confirms the enrolment with a code of the new secret: MFA is on, and ten recovery codes are made. */
    @Transactional
    public RecoveryCodes confirm(Caller.User caller, String code) {
        throttles.require(AccountThrottles.Action.MFA, caller.userId().toString());
        User user = locked(caller.userId());
        if (user.mfaEnabled()) {
            throw new LatchkeyException(ProblemType.CONFLICT, "Two-factor authentication is already on");
        }
        if (user.totpPendingSecret() == null) {
            throw new LatchkeyException(ProblemType.CONFLICT, "No enrolment is under way; start one first"
                    + " (POST /v1/me/mfa/totp)");
        }
        byte[] secret = secrets.open(user.id(), SECRET_PURPOSE, user.totpPendingSecret());
        OptionalLong step = Totp.match(secret, code == null ? null : code.strip(), clock.instant(), null);
        if (step.isEmpty()) {
            audit.recordIndependently(AuditEvent.failure("mfa.enrolment_confirmed").by(caller)
                    .target("user", user.id()).detail("reason", "wrong_code").build());
            throw LatchkeyException.invalidField("code", "is not the current code of the authenticator app;"
                    + " check the device's clock and enter the code it shows now");
        }
        user.enableTotp(step.getAsLong(), clock.instant());
        List<String> codes = newRecoveryCodes(user);
        audit.record(AuditEvent.success("mfa.enabled").by(caller).target("user", user.id()).build());
        mail.enqueue(AccountMails.MFA_CHANGED, user.email(), Map.of("user_id", user.id().toString(),
                "change", "enabled", "others_ended", ""));
        return new RecoveryCodes(codes);
    }

    /**
     * Turns MFA off, with the password and a current code (or a recovery code); every other
     * session of the user ends ({@code endOtherSessions}).
     */
    @Transactional
    public void disable(Caller.User caller, String password, String code, IntSupplier endOtherSessions) {
        throttles.require(AccountThrottles.Action.MFA, caller.userId().toString());
        User user = locked(caller.userId());
        if (!user.mfaEnabled()) {
            throw new LatchkeyException(ProblemType.CONFLICT, "Two-factor authentication is not on");
        }
        if (password == null || !passwords.matches(password, user.passwordHash())) {
            audit.recordIndependently(AuditEvent.failure("mfa.disabled").by(caller).target("user", user.id())
                    .detail("reason", "wrong_password").build());
            throw LatchkeyException.invalidField("password", "is not your current password");
        }
        if (verify(user, code).isEmpty()) {
            audit.recordIndependently(AuditEvent.failure("mfa.disabled").by(caller).target("user", user.id())
                    .detail("reason", "wrong_code").build());
            throw LatchkeyException.invalidField("code", "is neither the current code nor an unused recovery code");
        }
        user.disableTotp(clock.instant());
        recoveryCodes.deleteByUser(user.id());
        int ended = endOtherSessions.getAsInt();
        audit.record(AuditEvent.success("mfa.disabled").by(caller).target("user", user.id())
                .detail("other_sessions_ended", ended).build());
        mail.enqueue(AccountMails.MFA_CHANGED, user.email(), Map.of("user_id", user.id().toString(),
                "change", "disabled", "others_ended", "true"));
    }

    /** Ten new recovery codes (the old ones stop working), with a current code or an unused recovery code. */
    @Transactional
    public RecoveryCodes regenerate(Caller.User caller, String code) {
        throttles.require(AccountThrottles.Action.MFA, caller.userId().toString());
        User user = locked(caller.userId());
        if (!user.mfaEnabled()) {
            throw new LatchkeyException(ProblemType.CONFLICT, "Two-factor authentication is not on");
        }
        if (verify(user, code).isEmpty()) {
            audit.recordIndependently(AuditEvent.failure("mfa.recovery_codes_regenerated").by(caller)
                    .target("user", user.id()).detail("reason", "wrong_code").build());
            throw LatchkeyException.invalidField("code", "is neither the current code nor an unused recovery code");
        }
        recoveryCodes.deleteByUser(user.id());
        recoveryCodes.flush();
        List<String> codes = newRecoveryCodes(user);
        audit.record(AuditEvent.success("mfa.recovery_codes_regenerated").by(caller).target("user", user.id()).build());
        return new RecoveryCodes(codes);
    }

    /**
     * Checks a second-factor code of a user whose row the caller has locked: a TOTP code of a step
     * not used before, or an unused recovery code, which is then used up. Empty when neither.
     */
    Optional<String> verify(User user, String code) {
        if (code == null || code.isBlank() || !user.mfaEnabled()) {
            return Optional.empty();
        }
        String candidate = code.strip();
        if (candidate.matches("\\d{6}")) {
            byte[] secret = secrets.open(user.id(), SECRET_PURPOSE, user.totpSecret());
            OptionalLong step = Totp.match(secret, candidate, clock.instant(), user.totpLastStep());
            step.ifPresent(user::acceptTotpStep);
            return step.isPresent() ? Optional.of("totp") : Optional.empty();
        }
        String normalized = candidate.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (!normalized.matches("[a-z2-7]{10}")) {
            return Optional.empty();
        }
        Optional<RecoveryCode> recovery = recoveryCodes.lockByUserAndHash(user.id(), recoveryHash(user.id(), normalized))
                .filter(found -> !found.used());
        recovery.ifPresent(found -> found.use(clock.instant()));
        return recovery.map(found -> "recovery_code");
    }

    private List<String> newRecoveryCodes(User user) {
        Instant now = clock.instant();
        List<String> codes = new ArrayList<>(RECOVERY_CODES);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder code = new StringBuilder(11);
            for (int c = 0; c < 10; c++) {
                code.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
            }
            String normalized = code.toString();
            recoveryCodes.save(new RecoveryCode(UUID.randomUUID(), user.id(), recoveryHash(user.id(), normalized), now));
            codes.add(normalized.substring(0, 5) + "-" + normalized.substring(5));
        }
        return codes;
    }

    private byte[] recoveryHash(UUID userId, String normalized) {
        return hashes.hash("mfa-recovery:" + userId + ":" + normalized);
    }

    private User user(UUID id) {
        return users.findById(id).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
    }

    private User locked(UUID id) {
        return users.lockById(id).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
    }
}

package dev.latchkey.accounts;

import java.time.Clock;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;

/**
 * Creates the first platform admin from {@code LATCHKEY_BOOTSTRAP_ADMIN_EMAIL} and
 * {@code _PASSWORD}. It only ever creates an account: when the email already has one that is not a
 * platform admin, someone else may have registered it, so the platform refuses to start rather
 * than hand them the platform. It runs once every bean is made and before the web server takes
 * its first request, so nobody can sign up with the email in between.
 */
@Component
class PlatformAdminBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(PlatformAdminBootstrap.class);

    private final String email;
    private final String password;
    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AuditService audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PlatformAdminBootstrap(BootstrapAdminProperties settings, UserRepository users,
            PasswordEncoder passwordEncoder, AuditService audit, TransactionTemplate transactions, Clock clock) {
        this.email = settings.email().trim();
        this.password = settings.password();
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (email.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> bootstrap());
        } catch (DataIntegrityViolationException anotherInstanceWon) {
            // Another instance created the account meanwhile: it must be the admin it made.
            transactions.executeWithoutResult(status -> requireExistingIsPlatformAdmin(
                    users.findByEmail(email).orElseThrow(() -> anotherInstanceWon)));
            log.info("Platform admin {} was bootstrapped by another instance", email);
        }
    }

    private void bootstrap() {
        User existing = users.findByEmail(email).orElse(null);
        if (existing != null) {
            requireExistingIsPlatformAdmin(existing);
            return;
        }
        if (password.isBlank()) {
            log.warn("LATCHKEY_BOOTSTRAP_ADMIN_EMAIL is set but LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD is not;"
                    + " no platform admin was created");
            return;
        }
        AccountService.checkPasswordLength(password);
        User created = new User(UUID.randomUUID(), email, "Platform admin", passwordEncoder.encode(password), true,
                clock.instant());
        // The operator named this address in the platform's configuration: it needs no link to prove it.
        created.verifyEmail(clock.instant());
        User admin = users.saveAndFlush(created);
        audit.record(AuditEvent.success("user.platform_admin_granted").target("user", admin.id())
                .detail("via", "bootstrap").build());
        log.info("Created platform admin {}", email);
    }

    private void requireExistingIsPlatformAdmin(User existing) {
        if (!existing.platformAdmin()) {
            throw new IllegalStateException("LATCHKEY_BOOTSTRAP_ADMIN_EMAIL names " + email + ", which already has an"
                    + " account that is not a platform admin. The bootstrap only creates a new account: it never"
                    + " promotes an existing one, which someone else may have registered to take over the platform."
                    + " Choose an email without an account, or, if that account is yours, grant it platform_admin"
                    + " in the database yourself and unset LATCHKEY_BOOTSTRAP_ADMIN_EMAIL");
        }
    }
}

package dev.latchkey.accounts;

import java.time.Clock;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;

/**
 * Makes the first platform admin from {@code LATCHKEY_BOOTSTRAP_ADMIN_EMAIL} and
 * {@code _PASSWORD}. An existing account with that email is promoted; its password is kept.
 */
@Component
class PlatformAdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PlatformAdminBootstrap.class);

    private final String email;
    private final String password;
    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AuditService audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PlatformAdminBootstrap(@Value("${latchkey.bootstrap-admin.email:}") String email,
            @Value("${latchkey.bootstrap-admin.password:}") String password, UserRepository users,
            PasswordEncoder passwordEncoder, AuditService audit, TransactionTemplate transactions, Clock clock) {
        this.email = email.trim();
        this.password = password;
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (email.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> bootstrap());
        } catch (DataIntegrityViolationException anotherInstanceWon) {
            log.info("Platform admin {} was bootstrapped by another instance", email);
        }
    }

    private void bootstrap() {
        User user = users.findByEmail(email).orElse(null);
        if (user != null) {
            if (!user.platformAdmin()) {
                user.grantPlatformAdmin(clock.instant());
                audit.record(AuditEvent.success("user.platform_admin_granted").target("user", user.id())
                        .detail("via", "bootstrap").build());
                log.info("Promoted {} to platform admin", email);
            }
            return;
        }
        if (password.isBlank()) {
            log.warn("LATCHKEY_BOOTSTRAP_ADMIN_EMAIL is set but LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD is not;"
                    + " no platform admin was created");
            return;
        }
        AccountService.checkPasswordLength(password);
        User admin = users.saveAndFlush(new User(UUID.randomUUID(), email, "Platform admin",
                passwordEncoder.encode(password), true, clock.instant()));
        audit.record(AuditEvent.success("user.platform_admin_granted").target("user", admin.id())
                .detail("via", "bootstrap").build());
        log.info("Created platform admin {}", email);
    }
}

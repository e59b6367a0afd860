package dev.latchkey.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.core.env.Environment;

/**
 * What production mode insists on. Anything the embedded default would generate or start
 * in-process is refused, and the refusal names everything that is missing at once.
 */
final class ProductionRequirements {

    /** Accepts one database role for migrations and the application: it then owns the tables. */
    static final String ALLOW_SINGLE_ROLE = "latchkey.database.allow-single-role";

    /** bcrypt's default cost; cheaper hashes make stolen hashes cheaper to guess. */
    static final int MIN_PRODUCTION_PASSWORD_HASH_COST = 10;

    private ProductionRequirements() {
    }

    static List<String> missing(Environment environment) {
        List<String> missing = new ArrayList<>();
        if (!has(environment, "spring.datasource.url")) {
            missing.add("an external PostgreSQL (SPRING_DATASOURCE_URL, _USERNAME, _PASSWORD);"
                    + " the embedded database is not for production");
        }
        if (environment.getProperty("spring.flyway.enabled", Boolean.class, true)) {
            separateOwner(environment).ifPresent(missing::add);
        }
        if (!has(environment, "spring.data.redis.host") && !has(environment, "spring.data.redis.url")) {
            missing.add("Redis for quotas shared by every instance (SPRING_DATA_REDIS_HOST or SPRING_DATA_REDIS_URL)");
        }
        String backend = environment.getProperty("latchkey.crypto.backend", "local");
        if ("vault".equals(backend)) {
            if (!has(environment, "latchkey.crypto.vault.uri")) {
                missing.add("the Vault address for the vault key-encryption backend (LATCHKEY_CRYPTO_VAULT_URI)");
            }
        } else if (!has(environment, "latchkey.crypto.local.master-key")
                && !has(environment, "latchkey.crypto.local.master-key-file")) {
            missing.add("a master key (LATCHKEY_CRYPTO_LOCAL_MASTER_KEY or LATCHKEY_CRYPTO_LOCAL_MASTER_KEY_FILE)"
                    + " or LATCHKEY_CRYPTO_BACKEND=vault; a generated master key is not for production");
        }
        if (!has(environment, "spring.mail.host")) {
            if (environment.getProperty("latchkey.accounts.require-email-verification", Boolean.class, true)) {
                missing.add("an SMTP server for account mail: verification, password reset and invitations"
                        + " (SPRING_MAIL_HOST, _PORT, _USERNAME, _PASSWORD, LATCHKEY_MAIL_FROM); or"
                        + " LATCHKEY_ACCOUNTS_REQUIRE_EMAIL_VERIFICATION=false, and then no mail is sent at all");
            }
        } else {
            if (!has(environment, "latchkey.public-url")) {
                missing.add("the console's public address for the links in mails (LATCHKEY_PUBLIC_URL,"
                        + " https://latchkey.example.com); a request's Host header is never trusted for them");
            }
            if (!has(environment, "latchkey.mail.from")) {
                missing.add("the sender of account mail (LATCHKEY_MAIL_FROM, Latchkey <no-reply@example.com>)");
            }
        }
        // An unreadable number is left to the settings' own validation, which names it.
        Integer hashCost = integer(environment.getProperty("latchkey.accounts.password-hash-cost"));
        if (hashCost != null && hashCost < MIN_PRODUCTION_PASSWORD_HASH_COST) {
            missing.add("a password hash cost of at least " + MIN_PRODUCTION_PASSWORD_HASH_COST
                    + " (LATCHKEY_ACCOUNTS_PASSWORD_HASH_COST is " + hashCost + "; lower costs are for tests)");
        }
        if (!has(environment, "latchkey.api-keys.pepper")) {
            missing.add("the API key pepper (LATCHKEY_API_KEYS_PEPPER, 32 random bytes in base64);"
                    + " a generated pepper is not for production");
        }
        return missing;
    }

    /** What {@code migrate} needs: the database, its owner, and the name of the application's role to grant. */
    static List<String> missingForMigrations(Environment environment) {
        List<String> missing = new ArrayList<>();
        if (!has(environment, "spring.flyway.url") && !has(environment, "spring.datasource.url")) {
            missing.add("the PostgreSQL to migrate (SPRING_DATASOURCE_URL or SPRING_FLYWAY_URL)");
        }
        if (!has(environment, "spring.datasource.username")) {
            missing.add("the application's database role, which the migrations grant its rights"
                    + " (SPRING_DATASOURCE_USERNAME)");
        }
        separateOwner(environment).ifPresent(missing::add);
        return missing;
    }

    /**
     * Migrations run as the schema owner and the application as a role that cannot rewrite the
     * ledger or the audit log, unless the operator explicitly accepts one role for both.
     */
    private static Optional<String> separateOwner(Environment environment) {
        if (environment.getProperty(ALLOW_SINGLE_ROLE, Boolean.class, false)) {
            return Optional.empty();
        }
        String owner = environment.getProperty("spring.flyway.user", "");
        if (owner.isBlank()) {
            return Optional.of("the schema owner that runs the migrations (SPRING_FLYWAY_USER,"
                    + " SPRING_FLYWAY_PASSWORD), a role other than the application's; or SPRING_FLYWAY_ENABLED=false"
                    + " where migrations run on their own (`migrate`, the Helm chart's job). With"
                    + " LATCHKEY_DATABASE_ALLOW_SINGLE_ROLE=true one role may do both, but then the application's"
                    + " credentials can rewrite billing and audit history");
        }
        if (owner.equals(environment.getProperty("spring.datasource.username"))) {
            return Optional.of("a schema owner (SPRING_FLYWAY_USER) other than the application's role"
                    + " (SPRING_DATASOURCE_USERNAME): the role the application connects as must not own the tables"
                    + " (or LATCHKEY_DATABASE_ALLOW_SINGLE_ROLE=true to accept it)");
        }
        return Optional.empty();
    }

    private static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    private static boolean has(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }
}

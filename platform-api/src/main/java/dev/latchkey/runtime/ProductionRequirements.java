package dev.latchkey.runtime;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.env.Environment;

/**
 * What production mode insists on. Anything the embedded default would generate or start
 * in-process is refused, and the refusal names everything that is missing at once.
 */
final class ProductionRequirements {

    private ProductionRequirements() {
    }

    static List<String> missing(Environment environment) {
        List<String> missing = new ArrayList<>();
        if (!has(environment, "spring.datasource.url")) {
            missing.add("an external PostgreSQL (SPRING_DATASOURCE_URL, _USERNAME, _PASSWORD);"
                    + " the embedded database is not for production");
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
        if (!has(environment, "latchkey.api-keys.pepper")) {
            missing.add("the API key pepper (LATCHKEY_API_KEYS_PEPPER, 32 random bytes in base64);"
                    + " a generated pepper is not for production");
        }
        return missing;
    }

    private static boolean has(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }
}

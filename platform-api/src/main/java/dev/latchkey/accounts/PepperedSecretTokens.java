package dev.latchkey.accounts;

import java.security.SecureRandom;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.kernel.SecretTokenFormat;

/** The accounts capability's bearer secrets, in the platform keys' format and under the one pepper. */
@Component
class PepperedSecretTokens implements SecretTokens {

    private final SecretHasher hasher;
    private final SecureRandom random;

    PepperedSecretTokens(SecretHasher hasher, SecureRandom random) {
        this.hasher = hasher;
        this.random = random;
    }

    @Override
    public String generate(String prefix) {
        return new SecretTokenFormat(prefix).generate(random);
    }

    @Override
    public Optional<String> parse(String prefix, String candidate) {
        return new SecretTokenFormat(prefix).parse(candidate);
    }

    @Override
    public byte[] hash(String token) {
        return hasher.hash(token);
    }
}

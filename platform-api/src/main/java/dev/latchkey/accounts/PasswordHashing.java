package dev.latchkey.accounts;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Console passwords are stored as bcrypt hashes, tagged {@code {bcrypt}} so that a stronger
 * algorithm can take over later while old hashes still verify. The cost is a setting
 * ({@code latchkey.accounts.password-hash-cost}): each step doubles the work of a sign-up, a login
 * and an attacker's guess alike; a hash keeps the cost it was made with, so raising it applies to
 * new and changed passwords.
 */
@Configuration
class PasswordHashing {

    private static final String BCRYPT = "bcrypt";

    @Bean
    PasswordEncoder passwordEncoder(AccountsProperties settings) {
        return new DelegatingPasswordEncoder(BCRYPT, Map.of(BCRYPT, new BCryptPasswordEncoder(settings.passwordHashCost())));
    }
}

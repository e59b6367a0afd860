package dev.latchkey.accounts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first platform admin ({@code latchkey.bootstrap-admin.*}), created at start-up when both are
 * set; an existing account is never promoted.
 *
 * @param email the first platform admin's email
 * @param password the first platform admin's password
 */
@ConfigurationProperties("latchkey.bootstrap-admin")
record BootstrapAdminProperties(@DefaultValue("") String email, @DefaultValue("") String password) {

    @Override
    public String toString() {
        return "BootstrapAdminProperties[email=" + email + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
}

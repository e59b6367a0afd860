package dev.latchkey.accounts;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The console's links that mails carry. Their base is {@code latchkey.public-url} (required in
 * production with mail), never the Host of a request, which a caller could forge to have a reset
 * link point elsewhere; the embedded default uses {@code http://localhost:<port>}. Tokens go in the
 * fragment, which browsers never send to a server.
 */
@Component
class AccountLinks {

    private final Environment environment;

    AccountLinks(Environment environment) {
        this.environment = environment;
    }

    String console() {
        String configured = environment.getProperty("latchkey.public-url", "").strip();
        if (!configured.isEmpty()) {
            return configured.replaceAll("/+$", "");
        }
        return "http://localhost:" + environment.getProperty("local.server.port",
                environment.getProperty("server.port", "8080"));
    }

    String verifyEmail(String token) {
        return console() + "/verify-email#token=" + token;
    }

    String resetPassword(String token) {
        return console() + "/reset-password#token=" + token;
    }

    String requestPasswordReset() {
        return console() + "/reset-password";
    }

    String invitation(String token) {
        return console() + InvitationsController.ACCEPT_ROUTE + token;
    }
}

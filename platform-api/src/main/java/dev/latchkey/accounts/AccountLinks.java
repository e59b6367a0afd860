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

    private final PublicUrlProperties settings;
    private final Environment environment;

    AccountLinks(PublicUrlProperties settings, Environment environment) {
        this.settings = settings;
        this.environment = environment;
    }

    String console() {
        if (settings.publicUrl() != null) {
            return settings.publicUrl().toString().strip().replaceAll("/+$", "");
        }
        // The port this instance listens on, known only once it runs (server.port=0 picks one).
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

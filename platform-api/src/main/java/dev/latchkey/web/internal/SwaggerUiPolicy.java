package dev.latchkey.web.internal;

import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The Content-Security-Policy of Swagger UI's pages ({@code /swagger-ui}). Its bundle injects
 * {@code <style>} elements at run time (Chromium reports "Applying inline style violates ...
 * style-src 'self'" from swagger-ui-bundle.js under the console's policy), so these pages alone
 * allow inline styles; scripts stay {@code 'self'} only, as everywhere.
 */
final class SwaggerUiPolicy {

    /** springdoc's UI: the redirect, the page, its assets and its generated initializer. */
    static final RequestMatcher PATHS = request -> {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.equals("/swagger-ui") || path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/");
    };

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self';"
            + " style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self';"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SwaggerUiPolicy() {
    }
}

package dev.latchkey.web.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.BearerTokenAuthenticator;
import dev.latchkey.web.DependencyOutage;

/**
 * Authenticates {@code Authorization: Bearer ...} requests with the authenticator of the
 * token's family. Bearer requests are stateless: their authentication is never stored in a
 * session.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private final List<BearerTokenAuthenticator> authenticators;
    private final ProblemWriter problemWriter;

    BearerTokenFilter(List<BearerTokenAuthenticator> authenticators, ProblemWriter problemWriter) {
        this.authenticators = List.copyOf(authenticators);
        this.problemWriter = problemWriter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = BearerTokenAuthenticator.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        try {
            BearerTokenAuthenticator authenticator = authenticators.stream()
                    .filter(a -> a.supports(token.get()))
                    .findFirst()
                    .orElseThrow(() -> new LatchkeyException(ProblemType.UNAUTHENTICATED,
                            "The bearer token is not a Latchkey platform key or session token"));
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(authenticator.authenticate(token.get()));
            SecurityContextHolder.setContext(context);
        } catch (LatchkeyException refused) {
            SecurityContextHolder.clearContext();
            problemWriter.write(request, response, refused);
            return;
        } catch (RuntimeException failed) {
            // A key that cannot be looked up because the database is away: 503 at once, not a 500.
            SecurityContextHolder.clearContext();
            LatchkeyException outage = DependencyOutage.of(failed).orElseThrow(() -> failed);
            problemWriter.write(request, response, outage);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    static boolean hasBearerToken(HttpServletRequest request) {
        return BearerTokenAuthenticator.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION)).isPresent();
    }
}

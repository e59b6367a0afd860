package dev.latchkey.web.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.latchkey.kernel.Caller;
import dev.latchkey.web.ConsoleAccounts;

/**
 * A console session stores who signed in; what their account allows (the platform-admin flag) is
 * read again for every API request, so a change in the database takes effect within a second
 * without a new login. The session itself is left as it is: the fresh identity holds for this
 * request only. A session whose account is gone is treated as no session at all (401).
 */
class ConsoleAccountFilter extends OncePerRequestFilter {

    private final ConsoleAccounts accounts;

    ConsoleAccountFilter(ConsoleAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Only the API: static assets need no identity, and reading it would load the session.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !path.startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller.User signedIn) {
            Optional<Caller.User> current = accounts.current(signedIn.userId());
            if (current.isEmpty()) {
                SecurityContextHolder.clearContext();
            } else if (!current.get().equals(signedIn)) {
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(current.get(), null,
                        List.of()));
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }
}

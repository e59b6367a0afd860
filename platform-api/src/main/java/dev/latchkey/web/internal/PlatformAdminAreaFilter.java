package dev.latchkey.web.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.ProblemType;

/**
 * Everything under {@code /v1/admin} is for platform admins; to anyone else (console users and
 * API keys alike) it answers 404 before the request reaches a controller, so that neither a
 * validation error, a 405 nor a 415 reveals which admin endpoints exist. Runs after the
 * security chain: unauthenticated requests already got their 401 there. Controllers still call
 * {@link Caller#currentPlatformAdmin()}.
 */
@Component
class PlatformAdminAreaFilter extends OncePerRequestFilter {

    static final String AREA = "/v1/admin";

    private final ProblemWriter problemWriter;

    PlatformAdminAreaFilter(ProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The decoded, normalized path: "/v1/%61dmin" is the admin area too.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !(path.equals(AREA) || path.startsWith(AREA + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller.User user
                && user.platformAdmin()) {
            chain.doFilter(request, response);
            return;
        }
        problemWriter.write(request, response, ProblemType.NOT_FOUND, "No resource at " + request.getRequestURI());
    }
}

package dev.latchkey.web.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.latchkey.kernel.OrgBound;
import dev.latchkey.web.AllowedOrigins;

/**
 * The second half of CORS ({@link CrossOriginFilter}): once the token says which organization
 * calls, a cross-origin request from an origin that organization does not allow is refused
 * with 403, before the endpoint does anything (a session token is not consumed).
 */
class OrganizationOriginFilter extends OncePerRequestFilter {

    private final AllowedOrigins allowedOrigins;
    private final ProblemWriter problemWriter;

    OrganizationOriginFilter(AllowedOrigins allowedOrigins, ProblemWriter problemWriter) {
        this.allowedOrigins = allowedOrigins;
        this.problemWriter = problemWriter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = CrossOriginFilter.crossOrigin(request);
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (origin != null && authentication != null && authentication.getPrincipal() instanceof OrgBound caller
                && !allowedOrigins.allowedFor(caller.orgId(), origin)) {
            problemWriter.write(request, response, CrossOriginFilter.ORIGIN_NOT_ALLOWED,
                    "The origin " + origin + " is not among the organization's allowed origins");
            return;
        }
        chain.doFilter(request, response);
    }
}

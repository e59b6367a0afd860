package dev.latchkey.web.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.AllowedOrigins;

/**
 * CORS for the broker and session endpoints only, by the organizations' allowed origins. A
 * preflight carries no token, so it is answered for origins that some active organization
 * allows; the request itself gets the CORS headers on the same terms here, before its token is
 * read (so a browser can read a 401 too), and {@link OrganizationOriginFilter} then holds it to
 * its own organization's origins. Any other cross-origin request to these endpoints is refused
 * with 403 before anything else happens. Bearer tokens, not cookies, authenticate these
 * endpoints, so credentials are never allowed.
 */
class CrossOriginFilter extends OncePerRequestFilter {

    static final ProblemType ORIGIN_NOT_ALLOWED = new ProblemType("/problems/origin-not-allowed", 403,
            "Origin not allowed");

    private static final List<PathPattern> PATHS = List.of(
            "/v1/tokens", "/v1/rooms", "/v1/rooms/{name}", "/openai/v1/realtime/client_secrets",
            "/v1/realtime/sessions", "/v1/realtime/calls", "/v1/realtime/calls/{id}",
            "/v1/realtime/calls/{id}/hangup").stream().map(PathPatternParser.defaultInstance::parse).toList();
    private static final String ALLOWED_METHODS = "GET, POST, DELETE";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Request-Id, X-Credential-Id, "
            + "X-Provider, Idempotency-Key";
    private static final String EXPOSED_HEADERS = "Location, X-Request-Id, Server-Timing, Retry-After, "
            + "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
    private static final String PREFLIGHT_MAX_AGE = "600";

    private final AllowedOrigins allowedOrigins;
    private final ProblemWriter problemWriter;

    CrossOriginFilter(AllowedOrigins allowedOrigins, ProblemWriter problemWriter) {
        this.allowedOrigins = allowedOrigins;
        this.problemWriter = problemWriter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = crossOrigin(request);
        if (origin == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean preflight = HttpMethod.OPTIONS.matches(request.getMethod())
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if (preflight) {
            response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
            response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        }
        if (!allowedOrigins.allowedBySomeOrganization(origin)) {
            problemWriter.write(request, response, ORIGIN_NOT_ALLOWED,
                    "The origin " + origin + " is not among the allowed origins of any organization");
            return;
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, request.getHeader(HttpHeaders.ORIGIN));
        if (preflight) {
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        chain.doFilter(request, response);
    }

    /**
     * The request's {@code Origin} when it is a cross-origin request to an endpoint that gets
     * CORS, else null (no Origin, the platform's own origin, or another endpoint).
     */
    static String crossOrigin(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || !appliesTo(request)) {
            return null;
        }
        return origin.trim().toLowerCase(Locale.ROOT).equals(ownOrigin(request)) ? null : origin.trim();
    }

    private static boolean appliesTo(HttpServletRequest request) {
        PathContainer path = PathContainer.parsePath(request.getRequestURI());
        return PATHS.stream().anyMatch(pattern -> pattern.matches(path));
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + request.getServerName().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}

package dev.latchkey.web.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.latchkey.runtime.RuntimeMode;

/**
 * In production, Latchkey is reached over HTTPS only, through a TLS-terminating proxy. When the
 * proxy's scheme does not reach the application (no {@code SERVER_FORWARD_HEADERS_STRATEGY}, or a
 * proxy outside the trusted ones), a request still looks like plain http here; this filter makes
 * it report https, so that URLs Latchkey hands out ({@code calls_url}, {@code Location}) are
 * never {@code http://}, and cookies and HSTS treat it as the secure request it was. The port
 * 80 of such a request (the proxy's Host header without a port) becomes 443. No-op in the
 * embedded default.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ProductionHttpsFilter extends OncePerRequestFilter {

    private final boolean production;

    ProductionHttpsFilter(Environment environment) {
        this.production = RuntimeMode.of(environment) == RuntimeMode.PRODUCTION;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !production || request.isSecure();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpsRequest(request), response);
    }

    private static final class HttpsRequest extends HttpServletRequestWrapper {

        HttpsRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getScheme() {
            return "https";
        }

        @Override
        public boolean isSecure() {
            return true;
        }

        @Override
        public int getServerPort() {
            int port = super.getServerPort();
            return port == 80 ? 443 : port;
        }

        @Override
        public StringBuffer getRequestURL() {
            int port = getServerPort();
            StringBuffer url = new StringBuffer("https://").append(getServerName());
            if (port != 443) {
                url.append(':').append(port);
            }
            return url.append(getRequestURI());
        }
    }
}

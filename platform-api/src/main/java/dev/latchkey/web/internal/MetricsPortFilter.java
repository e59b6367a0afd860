package dev.latchkey.web.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.latchkey.kernel.ProblemType;

/**
 * Prometheus metrics show platform-wide volumes, errors and pool figures: in production they are
 * served only on the management port ({@code MANAGEMENT_SERVER_PORT}, which the operator keeps
 * off the public network and lets the scraper reach); on any other port they are not found. The
 * embedded default serves them on its one port, for local runs, tests and benchmarks.
 */
final class MetricsPortFilter extends OncePerRequestFilter {

    static final String PROMETHEUS = "/actuator/prometheus";

    private final boolean production;
    private final Environment environment;
    private final ProblemWriter problemWriter;

    MetricsPortFilter(boolean production, Environment environment, ProblemWriter problemWriter) {
        this.production = production;
        this.environment = environment;
        this.problemWriter = problemWriter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The decoded path: "/actuator/%70rometheus" is the same endpoint.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !production || !(path.equals(PROMETHEUS) || path.startsWith(PROMETHEUS + "/")
                || path.startsWith(PROMETHEUS + "."));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Integer managementPort = environment.getProperty("local.management.port", Integer.class);
        if (managementPort != null && managementPort > 0 && request.getLocalPort() == managementPort) {
            chain.doFilter(request, response);
            return;
        }
        problemWriter.write(request, response, ProblemType.NOT_FOUND, "Not found");
    }
}

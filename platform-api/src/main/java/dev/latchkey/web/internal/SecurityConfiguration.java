package dev.latchkey.web.internal;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.NullSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.HeaderWriterFilter;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.runtime.RuntimeMode;
import dev.latchkey.web.AllowedOrigins;
import dev.latchkey.web.BearerTokenAuthenticator;
import dev.latchkey.web.ConsoleAccounts;

/**
 * Two ways in: console users with a session cookie (CSRF-protected writes) and apps with a
 * bearer token (stateless, no CSRF since a browser never adds the header by itself). A one-time
 * session token is a bearer token too, good only for the endpoint it is made for. CORS, for the
 * broker and session endpoints only, follows the organizations' allowed origins.
 * <p>
 * The CSRF token lives in the console session (JDBC), not in a cookie: a cookie planted by a
 * sibling subdomain or over plain http cannot supply it. Each read of it is masked afresh
 * (BREACH). Security headers are written outside this chain ({@link SecurityHeadersConfiguration}),
 * so that every response carries them. In production, {@code /actuator/prometheus} is not served
 * on the public port ({@link MetricsPortFilter}).
 */
@Configuration
class SecurityConfiguration {

    static final String[] PUBLIC_ENDPOINTS = {
        "/v1/auth/signup", "/v1/auth/login", "/v1/auth/logout", "/v1/auth/csrf",
        // The account lifecycle's steps for someone not signed in: the second factor of a login,
        // and the links of verification and password-reset mails.
        "/v1/auth/login/mfa", "/v1/auth/verify-email", "/v1/auth/password-reset", "/v1/auth/password-reset/confirm",
        "/actuator/health", "/actuator/health/**", MetricsPortFilter.PROMETHEUS,
        "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui", "/swagger-ui/**", "/swagger-ui.html",
    };

    /**
     * Endpoints for bearer tokens that are not callers (users or API keys): a one-time session
     * token authenticates {@code POST /v1/realtime/calls} and nothing else.
     */
    static final String[] SESSION_TOKEN_ENDPOINTS = {"/v1/realtime/calls"};

    /** The request header that carries the CSRF token (the console and the README's tour send it). */
    static final String CSRF_HEADER = "X-XSRF-TOKEN";

    /**
     * Apps: every request with a bearer token, whatever its cookies. Stateless: no session is read
     * or written, no CSRF token is made (a browser never adds the header by itself), and the
     * servlet API is not wrapped. This is the path of every mint, so it carries only what a bearer
     * request needs.
     */
    @Bean
    @Order(1)
    SecurityFilterChain bearerTokenFilterChain(HttpSecurity http, List<BearerTokenAuthenticator> authenticators,
            ProblemWriter problemWriter, AllowedOrigins allowedOrigins, Environment environment) throws Exception {
        http
            .securityMatcher(BearerTokenFilter::hasBearerToken)
            .csrf(AbstractHttpConfigurer::disable)
            .securityContext(context -> context.securityContextRepository(new NullSecurityContextRepository()))
            .sessionManagement(AbstractHttpConfigurer::disable)
            .servletApi(AbstractHttpConfigurer::disable);
        return common(http, problemWriter, allowedOrigins, environment)
            .addFilterAfter(new BearerTokenFilter(authenticators, problemWriter), CrossOriginFilter.class)
            .addFilterAfter(new OrganizationOriginFilter(allowedOrigins, problemWriter), BearerTokenFilter.class)
            .build();
    }

    /** Console users (a session cookie, CSRF-protected writes) and anyone not signed in. */
    @Bean
    @Order(2)
    SecurityFilterChain securityFilterChain(HttpSecurity http, ProblemWriter problemWriter,
            CsrfTokenRepository csrfTokenRepository,
            SecurityContextRepository securityContextRepository, AllowedOrigins allowedOrigins,
            ConsoleAccounts consoleAccounts, Environment environment) throws Exception {
        http
            .csrf(csrf -> csrf
                .csrfTokenRepository(csrfTokenRepository)
                .csrfTokenRequestHandler(new XorCsrfTokenRequestAttributeHandler()))
            .securityContext(context -> context.securityContextRepository(securityContextRepository))
            // Sessions are created when needed (IF_REQUIRED, the default). Console sign-in saves its
            // context explicitly (ConsoleSessions); setting a creation policy here would install the
            // session management filter.
            .sessionManagement(session -> session.requireExplicitAuthenticationStrategy(true));
        return common(http, problemWriter, allowedOrigins, environment)
            .addFilterAfter(new ConsoleAccountFilter(consoleAccounts), CrossOriginFilter.class)
            .build();
    }

    /**
     * What both chains share: who may call what, the metrics port, CORS, and the problems of
     * refusals. Bearer authentication and the organizations' origins (which only bearer callers
     * are bound to) are the bearer chain's; the console account check is the console chain's.
     */
    private static HttpSecurity common(HttpSecurity http, ProblemWriter problemWriter, AllowedOrigins allowedOrigins,
            Environment environment) throws Exception {
        AuthorizationManager<RequestAuthorizationContext> callersOnly = (authentication, context) ->
                new AuthorizationDecision(authentication.get().getPrincipal() instanceof Caller);
        return http
            .headers(headers -> headers.disable())
            .authorizeHttpRequests(authorize -> authorize
                .requestMatchers(PUBLIC_ENDPOINTS).permitAll()
                .requestMatchers(HttpMethod.POST, SESSION_TOKEN_ENDPOINTS).authenticated()
                .requestMatchers("/v1/**", "/openai/**", "/actuator/**").access(callersOnly)
                .anyRequest().permitAll())
            .addFilterBefore(new MetricsPortFilter(RuntimeMode.of(environment) == RuntimeMode.PRODUCTION,
                    environment, problemWriter), HeaderWriterFilter.class)
            .addFilterAfter(new CrossOriginFilter(allowedOrigins, problemWriter), HeaderWriterFilter.class)
            .exceptionHandling(exceptions -> exceptions
                .authenticationEntryPoint((request, response, e) -> problemWriter.write(request, response,
                        ProblemType.UNAUTHENTICATED, "Sign in or send a platform API key"))
                .accessDeniedHandler((request, response, e) -> {
                    if (e instanceof CsrfException) {
                        problemWriter.write(request, response, ProblemType.CSRF,
                                "Cookie-authenticated writes need the token from GET /v1/auth/csrf"
                                        + " in the X-XSRF-TOKEN header");
                    } else if (isSessionToken(SecurityContextHolder.getContext().getAuthentication())) {
                        problemWriter.write(request, response, ProblemType.FORBIDDEN,
                                "A session token is good only for POST /v1/realtime/calls");
                    } else {
                        problemWriter.write(request, response, ProblemType.FORBIDDEN, "Not allowed");
                    }
                }))
            .formLogin(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .requestCache(AbstractHttpConfigurer::disable)
            .anonymous(AbstractHttpConfigurer::disable);
    }

    private static boolean isSessionToken(Authentication authentication) {
        return authentication != null && !(authentication.getPrincipal() instanceof Caller);
    }

    /**
     * No observation (span, meters) per security filter, authentication or authorization: a large
     * part of a mint's CPU for nothing operators use; {@code http.server.requests} stays.
     * Without this the filter chain is still wrapped in a decorator that names every filter of
     * every request, even with the observations turned off by a predicate.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        HttpSessionCsrfTokenRepository repository = new HttpSessionCsrfTokenRepository();
        repository.setHeaderName(CSRF_HEADER);
        return repository;
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }
}

package dev.latchkey.web.internal;

import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.PermissionsPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.latchkey.runtime.RuntimeMode;

/**
 * The security headers of every response, written by the first filter of all (so that answers
 * given before the security chain, such as a 413, carry them too): nosniff, no caching of API
 * answers, {@code X-Frame-Options: DENY}, and HSTS: on HTTPS requests in the embedded default, and
 * on every response in production, which always runs behind TLS even when the proxy's scheme does
 * not reach the application.
 * <p>
 * What else depends on who asks. Anything a browser may render (the console, its API calls with
 * the session cookie, Swagger UI) gets a Content-Security-Policy without inline script or style
 * (the console is built for it), {@code frame-ancestors 'none'}, Referrer-Policy and a
 * Permissions-Policy that gives the console no camera, microphone, location and the like. A
 * request with a bearer token is an app's (a browser never adds the header by itself), and its
 * answer is JSON no browser renders as a page: it gets the API policy of OWASP's REST Security
 * Cheat Sheet, {@code default-src 'none'; frame-ancestors 'none'}, and none of the page-only
 * headers. That keeps about 550 bytes and three headers off every token a platform key mints.
 */
@Configuration(proxyBeanMethods = false)
class SecurityHeadersConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    static final String PERMISSIONS_POLICY = "accelerometer=(), autoplay=(), camera=(), display-capture=(),"
            + " encrypted-media=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(),"
            + " payment=(), picture-in-picture=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

    /** For answers to bearer-token requests: nothing may load from them, nothing may frame them. */
    static final String API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    static final long HSTS_MAX_AGE_SECONDS = 365L * 24 * 60 * 60;

    @Bean
    FilterRegistrationBean<HeaderWriterFilter> securityHeadersFilter(Environment environment) {
        FilterRegistrationBean<HeaderWriterFilter> registration = new FilterRegistrationBean<>(
                new HeaderWriterFilter(writers(RuntimeMode.of(environment) == RuntimeMode.PRODUCTION)));
        registration.setName("securityHeadersFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    static List<HeaderWriter> writers(boolean production) {
        HstsHeaderWriter hsts = new HstsHeaderWriter(HSTS_MAX_AGE_SECONDS, true);
        if (production) {
            hsts.setRequestMatcher(AnyRequestMatcher.INSTANCE);
        }
        RequestMatcher swaggerUi = SwaggerUiPolicy.PATHS;
        ReferrerPolicyHeaderWriter referrer = new ReferrerPolicyHeaderWriter(
                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN);
        PermissionsPolicyHeaderWriter permissions = new PermissionsPolicyHeaderWriter(PERMISSIONS_POLICY);
        List<HeaderWriter> forPages = List.of(
                new XXssProtectionHeaderWriter(),
                new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(swaggerUi),
                        new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)),
                new DelegatingRequestMatcherHeaderWriter(swaggerUi,
                        new ContentSecurityPolicyHeaderWriter(SwaggerUiPolicy.CONTENT_SECURITY_POLICY)),
                referrer,
                permissions);
        HeaderWriter forApps = new ContentSecurityPolicyHeaderWriter(API_CONTENT_SECURITY_POLICY);
        HeaderWriter byCaller = (request, response) -> {
            if (BearerTokenFilter.hasBearerToken(request)) {
                forApps.writeHeaders(request, response);
            } else {
                forPages.forEach(writer -> writer.writeHeaders(request, response));
            }
        };
        return List.of(
                new XContentTypeOptionsHeaderWriter(),
                new CacheControlHeadersWriter(),
                hsts,
                new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY),
                byCaller);
    }
}

package dev.latchkey.web.internal;

import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.latchkey.runtime.RuntimeMode;

/**
 * In production the session cookie is a {@code __Host-} cookie (Secure, {@code Path=/}, no
 * Domain): browsers refuse such a cookie set by a sibling subdomain or over plain http, so no
 * one can plant a session of their choosing (and with it a known CSRF token). An operator who
 * sets a cookie domain keeps the configured name, which {@code __Host-} would not allow.
 */
@Configuration(proxyBeanMethods = false)
class SessionCookieConfiguration {

    static final String HOST_PREFIX = "__Host-";

    @Bean
    DefaultCookieSerializerCustomizer hostPrefixedSessionCookie(Environment environment) {
        boolean production = RuntimeMode.of(environment) == RuntimeMode.PRODUCTION;
        String name = environment.getProperty("server.servlet.session.cookie.name", "SESSION");
        boolean domain = !environment.getProperty("server.servlet.session.cookie.domain", "").isBlank();
        return serializer -> {
            if (production && !domain) {
                serializer.setCookieName(name.startsWith(HOST_PREFIX) ? name : HOST_PREFIX + name);
                serializer.setUseSecureCookie(true);
                serializer.setCookiePath("/");
            }
        };
    }
}

package dev.latchkey.support;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Gives every application context the tests start (the test's own and each {@link SecondInstance};
 * component scanning finds this class on the test classpath only) the {@link MutableClock} in
 * place of the production {@code Clock.systemUTC()} bean.
 */
@Configuration(proxyBeanMethods = false)
class TestClockConfiguration {

    @Bean
    @Primary
    Clock mutableClock() {
        return MutableClock.get();
    }
}

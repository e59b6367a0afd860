package dev.latchkey;

import java.security.SecureRandom;
import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LatchkeyApplication {

    public static void main(String[] args) {
        SpringApplication.run(LatchkeyApplication.class, args);
    }

    /** The one clock: tests move it, nothing else calls Instant.now(). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The one source of randomness for keys, tokens and nonces. */
    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}

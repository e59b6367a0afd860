package dev.latchkey;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.latchkey.runtime.DatabaseMigrationCommand;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LatchkeyApplication {

    /** {@code migrate} as the first argument runs the database migrations and exits (the Helm job, docker-compose). */
    public static void main(String[] args) {
        if (args.length > 0 && DatabaseMigrationCommand.NAME.equals(args[0])) {
            DatabaseMigrationCommand.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
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

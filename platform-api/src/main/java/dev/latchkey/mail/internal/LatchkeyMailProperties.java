package dev.latchkey.mail.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Account mail ({@code latchkey.mail.*}); the SMTP server is Spring Boot's {@code spring.mail.*}
 * (its MailProperties, hence this name).
 *
 * @param from the sender of account mail (required in production with mail)
 * @param pollInterval how often each instance sends due mail
 * @param retry retries of mail the server did not take
 */
@Validated
@ConfigurationProperties("latchkey.mail")
record LatchkeyMailProperties(
        @DefaultValue("Latchkey <no-reply@localhost>") @NotBlank String from,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue @Valid Retry retry) {

    /**
     * @param initialDelay the delay after the first failed attempt; it doubles after each one
     * @param maxDelay the longest delay between attempts
     * @param maxAttempts attempts before a mail is marked failed
     */
    record Retry(@DefaultValue("30s") @NotNull Duration initialDelay, @DefaultValue("1h") @NotNull Duration maxDelay,
            @DefaultValue("10") @Positive int maxAttempts) {
    }
}

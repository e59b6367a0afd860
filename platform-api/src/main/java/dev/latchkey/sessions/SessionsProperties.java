package dev.latchkey.sessions;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Brokered sessions ({@code latchkey.sessions.*}).
 *
 * @param capCheckInterval how often every instance looks for calls whose max_session_seconds is due
 */
@Validated
@ConfigurationProperties("latchkey.sessions")
record SessionsProperties(@DefaultValue("1s") @NotNull Duration capCheckInterval) {
}

package dev.latchkey.runtime;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded default's data folder ({@code latchkey.home}). {@code latchkey.mode} and
 * {@code latchkey.database.allow-single-role} are read from the environment before the
 * application context exists (RuntimeMode, ProductionRequirements); their metadata is in
 * META-INF/additional-spring-configuration-metadata.json.
 *
 * @param home the embedded default's data folder: its PostgreSQL, and generated secrets
 */
@Validated
@ConfigurationProperties("latchkey")
record HomeProperties(@DefaultValue(".latchkey") @NotNull Path home) {
}

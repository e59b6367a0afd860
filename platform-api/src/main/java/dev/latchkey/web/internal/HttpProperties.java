package dev.latchkey.web.internal;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP ({@code latchkey.http.*}).
 *
 * @param maxBodySize larger request bodies get 413, form bodies (parsed by Tomcat) included
 */
@Validated
@ConfigurationProperties("latchkey.http")
record HttpProperties(@DefaultValue("64KB") @NotNull DataSize maxBodySize) {
}

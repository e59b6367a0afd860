package dev.latchkey.runtime;

import java.util.Arrays;
import java.util.Locale;

import org.springframework.core.env.Environment;

/** Embedded default (everything generated or in-process) or production (everything external). */
public enum RuntimeMode {
    EMBEDDED_DEFAULT, PRODUCTION;

    public static RuntimeMode of(Environment environment) {
        String mode = environment.getProperty("latchkey.mode", "");
        boolean production = "production".equals(mode.toLowerCase(Locale.ROOT))
                || Arrays.asList(environment.getActiveProfiles()).contains("production");
        return production ? PRODUCTION : EMBEDDED_DEFAULT;
    }
}

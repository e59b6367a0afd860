package dev.latchkey.broker.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A room's name, the one rule for LiveKit and Daily rooms wherever a name arrives: required, 1 to
 * 128 letters, digits, {@code _} or {@code -} (safe in a provider's URL path). Paths that are not
 * request records match {@link #PATTERN} themselves.
 */
@Documented
@NotNull
@Pattern(regexp = RoomName.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface RoomName {

    String PATTERN = "[A-Za-z0-9_-]{1,128}";
    String RULE = "must be 1 to 128 letters, digits, '_' or '-'";

    String message() default RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

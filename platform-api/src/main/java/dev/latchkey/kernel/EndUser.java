package dev.latchkey.kernel;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;

/**
 * {@code end_user}: the app's own opaque id of its user, recorded with usage and calls. The one
 * rule for it, wherever it arrives: absent, or 1 to {@value #MAX_LENGTH} printable characters;
 * request records say it with {@link Id @EndUser.Id}, other paths call {@link #check}.
 */
public final class EndUser {

    public static final int MAX_LENGTH = 128;
    public static final String RULE = "must be 1 to " + MAX_LENGTH + " printable characters";

    private EndUser() {
    }

    /** Nothing for {@code null}; a 400 naming {@code end_user} for anything else outside the rule. */
    public static void check(String endUser) {
        if (endUser != null && !PrintableText.Check.isPrintable(endUser, MAX_LENGTH, false)) {
            throw LatchkeyException.invalidField("end_user", RULE);
        }
    }

    /** The rule as a Bean Validation constraint on a request record's {@code end_user}. */
    @Documented
    @PrintableText(max = MAX_LENGTH, message = RULE)
    @ReportAsSingleViolation
    @Constraint(validatedBy = {})
    @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Id {

        String message() default RULE;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }
}

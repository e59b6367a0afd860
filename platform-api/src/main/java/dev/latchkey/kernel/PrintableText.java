package dev.latchkey.kernel;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text people read or an app gives as its own id (an identity, a display name, {@code end_user}):
 * at most {@code max} characters, no control characters, and not blank unless {@code blank} allows
 * it. Null is valid (pair with {@code @NotNull} where the field is required).
 */
@Documented
@Constraint(validatedBy = PrintableText.Check.class)
@Target({ElementType.ANNOTATION_TYPE, ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface PrintableText {

    int max();

    boolean blank() default false;

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<PrintableText, String> {

        private int max;
        private boolean blank;

        @Override
        public void initialize(PrintableText constraint) {
            this.max = constraint.max();
            this.blank = constraint.blank();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || isPrintable(value, max, blank);
        }

        /** The rule itself, for checks outside Bean Validation. */
        static boolean isPrintable(String value, int max, boolean blank) {
            return value.length() <= max && (blank || !value.isBlank())
                    && value.chars().noneMatch(Character::isISOControl);
        }
    }
}

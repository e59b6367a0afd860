package dev.latchkey.broker.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * Checks a provider's request record ({@link ProviderAdapter#request}) against its Bean
 * Validation constraints: every violation is one entry of the 400 problem's {@code errors[]},
 * named by its JSON path ({@code user_name}, {@code attributes.team}).
 */
@Component
public class ProviderRequests {

    private final Validator validator;

    public ProviderRequests(Validator validator) {
        this.validator = validator;
    }

    /** @throws LatchkeyException (400, {@code /problems/validation}) naming each field that breaks a constraint */
    public void check(Object request) {
        if (request == null) {
            return;
        }
        List<FieldProblem> problems = validator.validate(request).stream()
                .map(violation -> new FieldProblem(field(violation), violation.getMessage()))
                .distinct()
                .sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
                .toList();
        if (!problems.isEmpty()) {
            throw new LatchkeyException(ProblemType.VALIDATION, String.join("; ",
                    problems.stream().map(p -> p.field() + ": " + p.message()).toList()), problems, Map.of());
        }
    }

    /** The JSON path of a violation: snake_case properties, map keys after a dot, indexes in brackets. */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable() && node.getKey() != null) {
                field.append('.').append(node.getKey());
            } else if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.isEmpty() && !name.startsWith("<")) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(snakeCase(name));
            }
        }
        return field.toString();
    }

    private static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}

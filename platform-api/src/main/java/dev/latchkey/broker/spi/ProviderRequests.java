package dev.latchkey.broker.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import dev.latchkey.web.Problems;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider's request record ({@link ProviderAdapter#requestType}): read from a JSON body with
 * the application's one Jackson mapper (a field the record has not is refused), and checked
 * against its Bean Validation constraints. Either refusal is the 400 validation problem, each
 * field in {@code errors[]} by its JSON path ({@code user_name}, {@code attributes.team},
 * {@code grants.can_publish_sources}).
 */
@Component
public class ProviderRequests {

    private final Validator validator;
    private final JsonMapper json;

    public ProviderRequests(Validator validator, JsonMapper json) {
        this.validator = validator;
        this.json = json;
    }

    /**
     * The body as the provider's record: a field that this provider does not take (another's, or
     * nobody's) and a value of the wrong type are a 400 naming the field; nothing is checked yet.
     */
    public <R> R read(JsonNode body, Class<R> type, Provider provider) {
        try {
            return json.treeToValue(body, type);
        } catch (UnrecognizedPropertyException unknown) {
            throw LatchkeyException.invalidField(Problems.jsonPath(unknown), unknown.getPath().size() == 1
                    ? "is not a field of a " + provider + " token request" : "is not a known field");
        } catch (JacksonException wrong) {
            throw LatchkeyException.invalidField(Problems.jsonPath(wrong), "has the wrong type or format");
        }
    }

    /** @throws LatchkeyException (400, {@code /problems/validation}) naming each field that breaks a constraint */
    public void check(Object request) {
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

    /**
     * The JSON path of a violation: snake_case properties and map keys after a dot; an element of a
     * list is reported at the list, whose rule the message states.
     */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable() && node.getKey() != null) {
                field.append('.').append(node.getKey());
            }
            String name = node.getName();
            if (name != null && !name.isEmpty() && !name.startsWith("<")) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(Problems.jsonName(name));
            }
        }
        return field.toString();
    }
}

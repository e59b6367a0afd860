package dev.latchkey.web;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.ProblemType;
import tools.jackson.core.JacksonException;

/** Builds the RFC 9457 body every error of the API carries. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(ProblemType type, String detail, List<FieldProblem> fieldProblems,
            HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
        problem.setType(URI.create(type.type()));
        problem.setTitle(type.title());
        if (request != null) {
            problem.setInstance(URI.create(request.getRequestURI()));
            problem.setProperty("request_id", RequestMetadata.requestId(request));
        }
        if (!fieldProblems.isEmpty()) {
            problem.setProperty("errors", fieldProblems);
        }
        return problem;
    }

    /**
     * A Java property's name as the API spells it, in the application's snake_case
     * (spring.jackson.property-naming-strategy): {@code canPublish} is {@code can_publish}.
     * Bean Validation names Java properties; problems name JSON fields.
     */
    public static String jsonName(String property) {
        StringBuilder out = new StringBuilder(property.length() + 4);
        for (char c : property.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /**
     * Where in a JSON body Jackson failed, as a problem's field: {@code session}, {@code grants.fly},
     * {@code scopes[2]}; {@code body} for the body as a whole.
     */
    public static String jsonPath(JacksonException exception) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}

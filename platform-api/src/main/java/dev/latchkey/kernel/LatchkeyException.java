package dev.latchkey.kernel;

import java.util.List;
import java.util.Map;

/**
 * The one exception family of the application: a problem type, a detail meant for the caller,
 * optional field problems and response headers. Never put a secret into the detail.
 */
public class LatchkeyException extends RuntimeException {

    private final ProblemType problemType;
    private final List<FieldProblem> fieldProblems;
    private final Map<String, String> headers;

    public LatchkeyException(ProblemType problemType, String detail) {
        this(problemType, detail, List.of(), Map.of());
    }

    public LatchkeyException(ProblemType problemType, String detail, List<FieldProblem> fieldProblems,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.problemType = problemType;
        this.fieldProblems = List.copyOf(fieldProblems);
        this.headers = Map.copyOf(headers);
    }

    public static LatchkeyException invalidField(String field, String message) {
        return new LatchkeyException(ProblemType.VALIDATION, field + ": " + message,
                List.of(new FieldProblem(field, message)), Map.of());
    }

    public static LatchkeyException notFound(String what) {
        return new LatchkeyException(ProblemType.NOT_FOUND, what + " not found");
    }

    public ProblemType problemType() {
        return problemType;
    }

    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

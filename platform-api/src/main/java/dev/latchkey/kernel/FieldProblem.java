package dev.latchkey.kernel;

/** One invalid field of a request, reported in a problem's {@code errors[]}. */
public record FieldProblem(String field, String message) {
}

package dev.latchkey.web;

/** One invalid field of a request, reported in a problem's {@code errors[]}. */
public record FieldProblem(String field, String message) {
}

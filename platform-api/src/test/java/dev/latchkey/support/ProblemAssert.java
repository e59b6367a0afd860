package dev.latchkey.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.AbstractAssert;

import tools.jackson.databind.JsonNode;

/**
 * Assertions on an RFC 9457 error response. {@link #assertThatProblem} already checks what
 * every error of the API must have: the problem content type, a {@code type}, a {@code status}
 * equal to the HTTP status, a {@code request_id}, and no stack trace or exception name.
 */
public final class ProblemAssert extends AbstractAssert<ProblemAssert, ApiClient.Response> {

    private ProblemAssert(ApiClient.Response response) {
        super(response, ProblemAssert.class);
    }

    public static ProblemAssert assertThatProblem(ApiClient.Response response) {
        return new ProblemAssert(response).isWellFormedProblem();
    }

    private ProblemAssert isWellFormedProblem() {
        isNotNull();
        assertThat(actual.contentType()).as("content type of %s", actual).startsWith("application/problem+json");
        JsonNode body = actual.json();
        assertThat(body.path("type").asString("")).as("type of %s", actual).startsWith("/problems/");
        assertThat(body.path("status").asInt()).as("status member of %s", actual).isEqualTo(actual.status());
        assertThat(body.path("request_id").asString("")).as("request_id of %s", actual).isNotBlank();
        assertThat(actual.body()).as("body leaks internals").doesNotContain("at dev.latchkey")
                .doesNotContain("Exception").doesNotContain("\tat ");
        return this;
    }

    public ProblemAssert hasStatus(int status) {
        assertThat(actual.status()).as("status of %s", actual).isEqualTo(status);
        return this;
    }

    public ProblemAssert hasType(String type) {
        assertThat(actual.json().get("type").asString()).as("type of %s", actual).isEqualTo(type);
        return this;
    }

    /** The problem's {@code errors[]} names this field. */
    public ProblemAssert namesField(String field) {
        assertThat(fields()).as("errors[].field of %s", actual).contains(field);
        return this;
    }

    private List<String> fields() {
        List<String> fields = new ArrayList<>();
        actual.json().path("errors").forEach(error -> fields.add(error.path("field").asString("")));
        return fields;
    }
}

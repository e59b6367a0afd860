package dev.latchkey.web.internal;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.Problems;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem responses from filters, which run before Spring MVC's exception handling. */
@Component
public class ProblemWriter {

    private final JsonMapper jsonMapper;

    ProblemWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, LatchkeyException exception)
            throws IOException {
        exception.headers().forEach(response::setHeader);
        write(request, response, exception.problemType(), exception.getMessage(), exception.fieldProblems());
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        write(request, response, type, detail, List.of());
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
            List<dev.latchkey.kernel.FieldProblem> fieldProblems) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail problem = Problems.of(type, detail, fieldProblems, request);
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        jsonMapper.writeValue(response.getOutputStream(), problem);
    }
}

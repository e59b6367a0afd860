package dev.latchkey.web.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * On the OpenAI-compatible path ({@code /openai/**}) every error is in OpenAI's own shape,
 * {@code {"error": {"message", "type", "param", "code"}}}, because the official SDKs read that one:
 * refusals of the security chain and of body parsing as well as the broker's. Every other error
 * of the API stays a problem; this rewrites the problem the one place that makes it wrote.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class OpenAiErrorShapeFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    OpenAiErrorShapeFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/openai/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, wrapper);
        } finally {
            String contentType = wrapper.getContentType();
            if (contentType != null && contentType.startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE)) {
                byte[] openAi = openAiError(json.readTree(wrapper.getContentAsByteArray()), wrapper.getStatus());
                wrapper.resetBuffer();
                wrapper.setContentType(MediaType.APPLICATION_JSON_VALUE);
                wrapper.getOutputStream().write(openAi);
            }
            wrapper.copyBodyToResponse();
        }
    }

    private byte[] openAiError(JsonNode problem, int status) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.path("detail").asString(problem.path("title").asString("")));
        error.put("type", status >= 500 ? "server_error" : "invalid_request_error");
        JsonNode field = problem.path("errors").path(0).path("field");
        error.put("param", field.isMissingNode() ? null : field.asString());
        String type = problem.path("type").asString("");
        error.put("code", type.substring(type.lastIndexOf('/') + 1));
        return json.writeValueAsBytes(Map.of("error", error));
    }
}

package dev.latchkey.web.internal;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import dev.latchkey.web.LatchkeyException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The console routes with real URLs ({@code /orgs/{id}/api-keys}, {@code /admin/orgs}, ...): a
 * browser that opens or reloads one gets the console's {@code index.html}, whose router then shows
 * the screen. Only HTML page requests outside the server's own areas qualify, and only paths whose
 * last segment has no dot, so API, actuator and Swagger paths and missing assets stay 404.
 */
@Controller
class ConsoleRoutes {

    /** A first path segment that is not one of the server's areas and not a file name. */
    private static final String CONSOLE_SEGMENT = "{segment:(?!(?:v1|v3|openai|actuator|swagger-ui|error)$)[^.]+}";

    @GetMapping(path = {"/" + CONSOLE_SEGMENT, "/" + CONSOLE_SEGMENT + "/**"}, produces = MediaType.TEXT_HTML_VALUE)
    String console(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path.substring(path.lastIndexOf('/') + 1).contains(".")) {
            // A file the console does not have (an old asset) is a 404, not the page.
            throw LatchkeyException.notFound("File");
        }
        return "forward:/index.html";
    }
}

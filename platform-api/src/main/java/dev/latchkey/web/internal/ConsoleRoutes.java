package dev.latchkey.web.internal;

import java.io.IOException;
import java.util.Set;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * The console's files, and its routes with real URLs ({@code /orgs/{id}/api-keys},
 * {@code /admin/orgs}, ...): a path that is no file of the console and no path of the server's
 * own areas gets the console's {@code index.html}, whose router shows the screen. Only requests
 * that no controller took get here, and a path whose last segment looks like a file name (a
 * missing asset) stays a 404, as does anything under the API, actuator or Swagger paths.
 */
@Configuration
class ConsoleRoutes implements WebMvcConfigurer {

    private static final Set<String> SERVER_AREAS = Set.of("v1", "v3", "openai", "actuator", "swagger-ui", "error");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Replaces Spring Boot's default "/**" handler, which would serve the same classpath:/static/.
        registry.addResourceHandler("/**")
                .addResourceLocations("classpath:/static/")
                .resourceChain(true)
                .addResolver(new ConsolePages());
    }

    static boolean isConsoleRoute(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return false;
        }
        String first = trimmed.split("/", 2)[0];
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return !SERVER_AREAS.contains(first) && !last.contains(".");
    }

    private static final class ConsolePages extends PathResourceResolver {

        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            Resource file = super.getResource(resourcePath, location);
            if (file != null || !isConsoleRoute(resourcePath)) {
                return file;
            }
            return super.getResource("index.html", location);
        }
    }
}

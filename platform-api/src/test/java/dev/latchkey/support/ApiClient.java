package dev.latchkey.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for integration tests, like a browser or an app would be: it keeps
 * cookies, and for cookie-authenticated writes it fetches and sends the CSRF token unless
 * told not to.
 */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    private boolean sendCsrf = true;
    private String csrfToken;

    public ApiClient(String baseUrl) {
        this(baseUrl, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    /** With a cookie jar of the test's choosing (e.g. {@link TlsProxyCookies}). */
    public ApiClient(String baseUrl, CookieHandler cookies) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private ApiClient(String baseUrl, HttpClient http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    /**
     * The same browser (its cookies, so its console session) calling another instance, as a load
     * balancer would send it there.
     */
    public ApiClient at(String otherBaseUrl) {
        return new ApiClient(otherBaseUrl, http);
    }

    /** Where this client sends its requests, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The response of one call, with its body parsed as JSON when it is JSON. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        /** Every value of a header that may repeat, such as Set-Cookie, joined by newlines. */
        public String allHeaders(String name) {
            return String.join("\n", headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .toList());
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public ApiClient bearer(String token) {
        defaultHeaders.put("Authorization", "Bearer " + token);
        return this;
    }

    public ApiClient withoutCsrf() {
        this.sendCsrf = false;
        return this;
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    public Response post(String path, Object body, String... headers) {
        return send("POST", path, json(body), "application/json", headers);
    }

    public Response put(String path, Object body, String... headers) {
        return send("PUT", path, json(body), "application/json", headers);
    }

    public Response patch(String path, Object body, String... headers) {
        return send("PATCH", path, json(body), "application/json", headers);
    }

    /** Any method with an optional JSON body: for tests that go through a table of endpoints. */
    public Response call(String method, String path, Object body, String... headers) {
        return send(method, path, json(body), body == null ? null : "application/json", headers);
    }

    /** A raw body with a content type of the caller's choice (null for none), sent with a Content-Length. */
    public Response send(String method, String path, String body, String contentType, String... headers) {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), null, contentType, headers);
    }

    /** Raw bytes as the body (e.g. invalid UTF-8), with a content type of the caller's choice (null for none). */
    public Response sendBytes(String method, String path, byte[] body, String contentType, String... headers) {
        return send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), null, contentType, headers);
    }

    /** A raw body sent with {@code Transfer-Encoding: chunked}, so the server cannot know its size up front. */
    public Response sendChunked(String method, String path, String body, String contentType, String... headers) {
        // Over HTTP/1.1, a publisher of unknown length makes java.net.http send the body chunked.
        return send(method, path, HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)),
                HttpClient.Version.HTTP_1_1, contentType, headers);
    }

    /** {@code version} null: the client's default. */
    private Response send(String method, String path, HttpRequest.BodyPublisher body, HttpClient.Version version,
            String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        if (version != null) {
            request.version(version);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        defaultHeaders.forEach(request::header);
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        if (write && sendCsrf && !defaultHeaders.containsKey("Authorization")) {
            request.header("X-XSRF-TOKEN", csrfToken());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        Response response = exchange(request.build());
        if (path.startsWith("/v1/auth/")) {
            csrfToken = null; // login, signup and logout replace the CSRF token
        }
        return response;
    }

    private String csrfToken() {
        if (csrfToken == null) {
            csrfToken = exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/auth/csrf")).GET().build())
                    .json().get("token").asString();
        }
        return csrfToken;
    }

    private Response exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 500) {
                // Never acceptable from the platform, whatever the test asserts: the run's summary counts it.
                Reliability.add(Reliability.Count.SERVER_ERRORS, 1);
            }
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object body) {
        if (body == null) {
            return null;
        }
        return body instanceof String text ? text : JSON.writeValueAsString(body);
    }
}

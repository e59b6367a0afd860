package dev.latchkey.support;

import java.net.CookieHandler;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A browser's cookie jar as seen through a TLS-terminating proxy: the browser speaks https and
 * so sends {@code Secure} (and {@code __Host-}) cookies back, while the test reaches the
 * application over plain http. The JDK's {@code CookieManager} would withhold those cookies on
 * http; this jar keeps name and value and honours deletions.
 */
public final class TlsProxyCookies extends CookieHandler {

    private final Map<String, String> cookies = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        if (cookies.isEmpty()) {
            return Map.of();
        }
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=')
                .append(value));
        return Map.of("Cookie", List.of(header.toString()));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        responseHeaders.forEach((name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                values.forEach(this::store);
            }
        });
    }

    /** Puts a cookie into the jar as if a server (or someone able to set cookies for the host) had set it. */
    public void plant(String name, String value) {
        cookies.put(name, value);
    }

    /** The cookies held now, by name. */
    public Map<String, String> all() {
        return new LinkedHashMap<>(cookies);
    }

    private void store(String setCookie) {
        String[] parts = setCookie.split(";");
        int equals = parts[0].indexOf('=');
        String name = parts[0].substring(0, equals).trim();
        String value = parts[0].substring(equals + 1).trim();
        boolean expired = value.isEmpty();
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim().toLowerCase(Locale.ROOT);
            expired |= attribute.equals("max-age=0") || attribute.startsWith("expires=thu, 01 jan 1970");
        }
        if (expired) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}

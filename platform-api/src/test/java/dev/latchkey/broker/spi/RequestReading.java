package dev.latchkey.broker.spi;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import dev.latchkey.web.internal.JsonReading;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads provider request records as the application does, for unit tests: its Jackson settings
 * (snake_case, unknown fields refused, booleans only from JSON booleans: {@link JsonReading}) and a
 * default Bean Validation validator.
 */
public final class RequestReading implements AutoCloseable {

    public static final JsonMapper JSON = applicationJson();

    private final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();
    private final ProviderRequests requests = new ProviderRequests(validation.getValidator(), JSON);

    public <R> R read(String body, Class<R> type, Provider provider) {
        return requests.read(JSON.readTree(body), type, provider);
    }

    public void check(Object request) {
        requests.check(request);
    }

    /** The refusal of a read or a check; an AssertionError when there is none. */
    public static LatchkeyException refusal(Runnable attempt) {
        try {
            attempt.run();
        } catch (LatchkeyException refused) {
            return refused;
        }
        throw new AssertionError("the request was accepted");
    }

    private static JsonMapper applicationJson() {
        JsonMapper.Builder builder = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JsonReading.strictBooleans(builder);
        return builder.build();
    }

    @Override
    public void close() {
        validation.close();
    }
}

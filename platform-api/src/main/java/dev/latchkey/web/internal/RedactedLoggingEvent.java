package dev.latchkey.web.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;

import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import dev.latchkey.web.SecretRedaction;

/**
 * A logging event as an encoder sees it, with every text that could carry a secret redacted:
 * the message (raw and formatted), its arguments, the messages of the exception and its causes,
 * MDC values and key-value pairs. Encoders then escape and lay out text that is already clean,
 * so redaction does not depend on the output format (plain or JSON).
 */
final class RedactedLoggingEvent implements ILoggingEvent {

    private final ILoggingEvent event;
    private final String formattedMessage;
    private final IThrowableProxy throwableProxy;

    RedactedLoggingEvent(ILoggingEvent event) {
        this.event = event;
        this.formattedMessage = SecretRedaction.redact(event.getFormattedMessage());
        this.throwableProxy = redacted(event.getThrowableProxy());
    }

    @Override
    public String getThreadName() {
        return event.getThreadName();
    }

    @Override
    public Level getLevel() {
        return event.getLevel();
    }

    @Override
    public String getMessage() {
        return SecretRedaction.redact(event.getMessage());
    }

    @Override
    public Object[] getArgumentArray() {
        Object[] arguments = event.getArgumentArray();
        if (arguments == null) {
            return null;
        }
        Object[] redacted = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            redacted[i] = arguments[i] == null ? null : SecretRedaction.redact(String.valueOf(arguments[i]));
        }
        return redacted;
    }

    @Override
    public String getFormattedMessage() {
        return formattedMessage;
    }

    @Override
    public String getLoggerName() {
        return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return event.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return throwableProxy;
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return event.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return redactedValues(event.getMDCPropertyMap());
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
        return getMDCPropertyMap();
    }

    @Override
    public long getTimeStamp() {
        return event.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return event.getNanoseconds();
    }

    @Override
    public Instant getInstant() {
        return event.getInstant();
    }

    @Override
    public long getSequenceNumber() {
        return event.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        return pairs == null ? null : pairs.stream()
                .map(pair -> new KeyValuePair(pair.key, pair.value == null ? null
                        : SecretRedaction.redact(String.valueOf(pair.value))))
                .toList();
    }

    @Override
    public void prepareForDeferredProcessing() {
        event.prepareForDeferredProcessing();
    }

    private static Map<String, String> redactedValues(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return values;
        }
        Map<String, String> redacted = new LinkedHashMap<>();
        values.forEach((key, value) -> redacted.put(key, SecretRedaction.redact(value)));
        return redacted;
    }

    static IThrowableProxy redacted(IThrowableProxy proxy) {
        if (proxy == null || proxy instanceof RedactedThrowableProxy || proxy instanceof RedactedView) {
            return proxy;
        }
        // Encoders that print stack traces themselves need a ThrowableProxy (Spring Boot's
        // structured logging casts to it); other proxies are wrapped by interface.
        return proxy instanceof ThrowableProxy real ? new RedactedThrowableProxy(real) : redactedView(proxy);
    }

    /** A ThrowableProxy whose messages, and those of its causes and suppressed exceptions, are redacted. */
    private static final class RedactedThrowableProxy extends ThrowableProxy {

        private final ThrowableProxy proxy;

        RedactedThrowableProxy(ThrowableProxy proxy) {
            super(proxy.getThrowable(), Collections.newSetFromMap(new IdentityHashMap<>()));
            this.proxy = proxy;
        }

        @Override
        public String getMessage() {
            return SecretRedaction.redact(proxy.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return SecretRedaction.redact(proxy.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return redacted(proxy.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            return redactedAll(proxy.getSuppressed());
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }

    /**
     * The same for any other kind of throwable proxy (one read back from elsewhere): the four
     * texts and links that {@link RedactedThrowableProxy} redacts are redacted, the rest is the
     * proxy's own.
     */
    private static IThrowableProxy redactedView(IThrowableProxy proxy) {
        InvocationHandler redacting = (view, method, arguments) -> switch (method.getName()) {
            case "getMessage" -> SecretRedaction.redact(proxy.getMessage());
            case "getOverridingMessage" -> SecretRedaction.redact(proxy.getOverridingMessage());
            case "getCause" -> redacted(proxy.getCause());
            case "getSuppressed" -> redactedAll(proxy.getSuppressed());
            case "equals" -> view == arguments[0];
            case "hashCode" -> System.identityHashCode(view);
            default -> invoke(method, proxy, arguments);
        };
        return (IThrowableProxy) Proxy.newProxyInstance(IThrowableProxy.class.getClassLoader(),
                new Class<?>[] {IThrowableProxy.class, RedactedView.class}, redacting);
    }

    /** Marks a proxy that is already redacted. */
    private interface RedactedView {
    }

    private static Object invoke(Method method, Object target, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static IThrowableProxy[] redactedAll(IThrowableProxy[] proxies) {
        if (proxies == null) {
            return null;
        }
        IThrowableProxy[] redacted = new IThrowableProxy[proxies.length];
        for (int i = 0; i < proxies.length; i++) {
            redacted[i] = redacted(proxies[i]);
        }
        return redacted;
    }
}

package dev.latchkey.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyVO;

import org.junit.jupiter.api.Test;

class RedactedThrowableProxyTest {

    private static final String KEY = "platform_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJkL5mN7oP";

    private static IThrowableProxy failure() {
        IllegalStateException failure = new IllegalStateException("refused " + KEY,
                new IllegalArgumentException("cause " + KEY));
        failure.addSuppressed(new RuntimeException("suppressed " + KEY));
        return new ThrowableProxy(failure);
    }

    private static void assertRedacted(IThrowableProxy redacted) {
        assertThat(redacted.getMessage()).isEqualTo("refused platform_[REDACTED]");
        assertThat(redacted.getCause().getMessage()).isEqualTo("cause platform_[REDACTED]");
        assertThat(redacted.getSuppressed()[0].getMessage()).isEqualTo("suppressed platform_[REDACTED]");
        assertThat(redacted.getClassName()).isEqualTo(IllegalStateException.class.getName());
        assertThat(redacted.getStackTraceElementProxyArray()).isNotEmpty();
    }

    @Test
    void givenAThrowableProxy_whenRedacted_thenItsMessagesAndThoseOfItsCausesAreRedacted() {
        IThrowableProxy redacted = RedactedLoggingEvent.redacted(failure());

        assertThat(redacted).isInstanceOf(ThrowableProxy.class);
        assertRedacted(redacted);
        assertThat(RedactedLoggingEvent.redacted(redacted)).isSameAs(redacted);
    }

    @Test
    void givenAnotherKindOfThrowableProxy_whenRedacted_thenItIsRedactedTheSameWay() {
        IThrowableProxy readBack = ThrowableProxyVO.build(failure());

        IThrowableProxy redacted = RedactedLoggingEvent.redacted(readBack);

        assertThat(redacted).isNotInstanceOf(ThrowableProxy.class);
        assertRedacted(redacted);
        assertThat(redacted.getCommonFrames()).isEqualTo(readBack.getCommonFrames());
        assertThat(RedactedLoggingEvent.redacted(redacted)).isSameAs(redacted);
    }
}

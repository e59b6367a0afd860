package dev.latchkey.web.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import org.springframework.boot.logging.logback.StructuredLogEncoder;


/**
 * The console encoder of {@code logback-spring.xml}: plain text, or structured JSON when
 * {@code logging.structured.format.console} is set (production). Secrets are redacted on the
 * event, before it is encoded: the message and its arguments, the messages of the exception and
 * its causes, MDC values and key-value pairs ({@link RedactedLoggingEvent}, {@link dev.latchkey.web.SecretRedaction}).
 * Whatever the encoder then adds (time, level, thread, logger, stack frames, the ECS service
 * fields) holds no secret, and its escaping (JSON) cannot hide one from the redaction.
 */
public class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private String pattern;
    private String structuredFormat;
    private Charset charset = StandardCharsets.UTF_8;
    private Encoder<ILoggingEvent> delegate;

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setStructuredFormat(String structuredFormat) {
        this.structuredFormat = structuredFormat;
    }

    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void start() {
        if (structuredFormat != null && !structuredFormat.isBlank()) {
            StructuredLogEncoder structured = new StructuredLogEncoder();
            structured.setFormat(structuredFormat);
            structured.setCharset(charset);
            delegate = structured;
        } else {
            PatternLayoutEncoder plain = new PatternLayoutEncoder();
            plain.setPattern(pattern);
            plain.setCharset(charset);
            delegate = plain;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(new RedactedLoggingEvent(event));
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}

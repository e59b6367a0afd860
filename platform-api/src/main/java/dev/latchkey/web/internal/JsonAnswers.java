package dev.latchkey.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.json.JsonMapper;

/**
 * JSON answers go out whole, with their {@code Content-Length}, in one write. Spring MVC flushes
 * the response once the body is written; without a length Tomcat must then commit it chunked and
 * write a second time to end it. Answers are small (lists are paged), so holding one in memory
 * costs nothing, and a minted token goes out in one write as from the ten-line token servers
 * Latchkey is compared with.
 * <p>
 * The converter takes the JSON converter's place among the defaults, after Spring Boot has set
 * them up (this configurer runs after Boot's), so strings, byte arrays and resources keep their
 * own converters, and it uses the application's {@link JsonMapper}, so the same settings.
 */
@Configuration(proxyBeanMethods = false)
class JsonAnswers implements WebMvcConfigurer {

    private final JsonMapper json;

    JsonAnswers(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.withJsonConverter(new WholeDocumentJsonConverter(json));
    }

    /** Writes the document into memory first, then sends it with its length. */
    static final class WholeDocumentJsonConverter extends JacksonJsonHttpMessageConverter {

        WholeDocumentJsonConverter(JsonMapper json) {
            super(json);
        }

        @Override
        protected void writeInternal(Object object, ResolvableType type, HttpOutputMessage output,
                Map<String, Object> hints) throws IOException {
            ByteArrayOutputStream document = new ByteArrayOutputStream(512);
            super.writeInternal(object, type, new HttpOutputMessage() {
                @Override
                public OutputStream getBody() {
                    return document;
                }

                @Override
                public HttpHeaders getHeaders() {
                    return output.getHeaders();
                }
            }, hints);
            output.getHeaders().setContentLength(document.size());
            document.writeTo(output.getBody());
        }
    }
}

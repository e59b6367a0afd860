package dev.latchkey.broker.spi;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A {@code multipart/form-data} request body (RFC 7578) of named parts, each with its own
 * content type, as the providers' calls endpoints take an SDP offer with a session.
 */
public final class MultipartForm {

    private final String boundary = "latchkey-" + UUID.randomUUID().toString().replace("-", "");
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean closed;

    /**
     * The calls endpoints' form when called with a main key (OpenAI, Luna): the SDP offer as
     * {@code sdp} and the session as {@code session}.
     */
    public static MultipartForm sdpOffer(String offer, byte[] sessionJson) {
        return new MultipartForm()
                .part("sdp", "application/sdp", offer.getBytes(StandardCharsets.UTF_8))
                .part("session", "application/json", sessionJson);
    }

    public MultipartForm part(String name, String contentType, byte[] content) {
        if (closed) {
            throw new IllegalStateException("The form is complete");
        }
        write("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + name + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    /** {@code request} as a POST of this form that asks for the SDP answer as text. */
    public HttpRequest.Builder postOffer(HttpRequest.Builder request) {
        return request.header("Content-Type", contentType())
                .header("Accept", "application/sdp")
                .POST(publisher());
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public HttpRequest.BodyPublisher publisher() {
        if (!closed) {
            write("--" + boundary + "--\r\n");
            closed = true;
        }
        return HttpRequest.BodyPublishers.ofByteArray(body.toByteArray());
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}

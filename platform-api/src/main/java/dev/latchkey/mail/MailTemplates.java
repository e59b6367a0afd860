package dev.latchkey.mail;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The messages' templates: {@code classpath:mail/<name>.txt} (its first line is {@code Subject: ...})
 * and {@code mail/<name>.html}, Mustache, each wrapped in the layout of its format
 * ({@code mail/layout.txt}, {@code mail/layout.html}). In HTML every value is escaped.
 */
@Component
public class MailTemplates {

    private static final String SUBJECT = "Subject:";

    private final Mustache.Compiler text = Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true);
    private final Mustache.Compiler html = Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true);
    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    /** Renders the template {@code name} for {@code to} with the values of {@code model}. */
    public Mail render(String name, String to, Map<String, ?> model) {
        String textBody = template(name + ".txt", text).execute(model).strip();
        if (!textBody.startsWith(SUBJECT)) {
            throw new IllegalStateException("mail/" + name + ".txt must start with a Subject: line");
        }
        int endOfSubject = textBody.indexOf('\n');
        String subject = textBody.substring(SUBJECT.length(), endOfSubject < 0 ? textBody.length() : endOfSubject)
                .strip();
        String content = endOfSubject < 0 ? "" : textBody.substring(endOfSubject + 1).strip();
        Map<String, Object> layout = new HashMap<>(model);
        layout.put("subject", subject);
        layout.put("content", content);
        String plain = template("layout.txt", text).execute(layout).strip() + "\n";
        layout.put("content", template(name + ".html", html).execute(model));
        String rich = template("layout.html", html).execute(layout);
        return new Mail(to, subject, plain, rich);
    }

    private Template template(String file, Mustache.Compiler compiler) {
        return templates.computeIfAbsent(file + (compiler == text ? ":text" : ":html"), key -> {
            try (Reader reader = new InputStreamReader(new ClassPathResource("mail/" + file).getInputStream(),
                    StandardCharsets.UTF_8)) {
                return compiler.compile(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("mail template " + file, e);
            }
        });
    }
}

package dev.latchkey.mail.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.latchkey.mail.Mail;

/**
 * The embedded default's mail, with no SMTP server configured: each message is written to the log
 * and to a file of its own under {@code <latchkey.home>/mail/} ({@code .eml}, which mail clients
 * open), instead of being sent. Not for production, which needs an SMTP server.
 */
class LogMailTransport implements MailTransport {

    private static final Logger log = LoggerFactory.getLogger(LogMailTransport.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final String from;
    private final Clock clock;

    LogMailTransport(Path directory, String from, Clock clock) {
        this.directory = directory;
        this.from = from;
        this.clock = clock;
    }

    @Override
    public void deliver(Mail mail) {
        Path file = directory.resolve(FILE_TIME.format(clock.instant()) + "-" + UUID.randomUUID() + ".eml");
        try {
            Files.createDirectories(directory);
            MimeMessage message = SmtpMailTransport.message(new MimeMessage(Session.getInstance(new Properties())),
                    mail, from);
            message.saveChanges();
            // Written beside it and moved into place, so that whoever lists *.eml (a developer's mail
            // viewer, the tests) never reads half a mail.
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            try (OutputStream out = Files.newOutputStream(partial)) {
                message.writeTo(out);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("The mail file " + file + " cannot be written", e);
        } catch (MessagingException e) {
            throw new IllegalStateException("The mail cannot be written: " + e.getMessage(), e);
        }
        log.info("Mail (not sent: no SMTP server is configured) to {}, \"{}\", written to {}:\n{}", mail.to(),
                mail.subject(), file, mail.text());
    }

    @Override
    public String describe() {
        return "the log and files in " + directory + " (no SMTP server is configured: SPRING_MAIL_HOST)";
    }
}

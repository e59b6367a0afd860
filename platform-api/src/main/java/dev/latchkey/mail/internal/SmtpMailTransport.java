package dev.latchkey.mail.internal;

import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import dev.latchkey.mail.Mail;

/** Mail through the configured SMTP server ({@code spring.mail.*}): multipart/alternative, text and HTML. */
class SmtpMailTransport implements MailTransport {

    private final JavaMailSender sender;
    private final String from;
    private final String server;

    SmtpMailTransport(JavaMailSender sender, String from, String server) {
        this.sender = sender;
        this.from = from;
        this.server = server;
    }

    @Override
    public void deliver(Mail mail) {
        sender.send(message(sender.createMimeMessage(), mail, from));
    }

    @Override
    public String describe() {
        return "the SMTP server " + server;
    }

    static MimeMessage message(MimeMessage message, Mail mail, String from) {
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(mail.to());
            helper.setSubject(mail.subject());
            helper.setText(mail.text(), mail.html());
            return message;
        } catch (MessagingException e) {
            throw new IllegalStateException("The mail cannot be built: " + e.getMessage(), e);
        }
    }
}

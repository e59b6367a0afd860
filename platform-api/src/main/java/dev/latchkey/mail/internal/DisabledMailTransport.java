package dev.latchkey.mail.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.latchkey.mail.Mail;

/**
 * Production without an SMTP server (allowed only with email verification off): nothing is sent,
 * and nothing with a link is logged either; each dropped mail is a warning.
 */
class DisabledMailTransport implements MailTransport {

    private static final Logger log = LoggerFactory.getLogger(DisabledMailTransport.class);

    @Override
    public void deliver(Mail mail) {
        log.warn("Mail to {} (\"{}\") was not sent: no SMTP server is configured (SPRING_MAIL_HOST)", mail.to(),
                mail.subject());
    }

    @Override
    public String describe() {
        return "nowhere: no SMTP server is configured (SPRING_MAIL_HOST), so no mail is sent";
    }
}

package dev.latchkey.mail.internal;

import dev.latchkey.mail.Mail;

/** Hands a composed mail over: to an SMTP server, or (the embedded default) to the log and a file. */
interface MailTransport {

    /** @throws RuntimeException when the mail was not taken; the dispatcher retries it later */
    void deliver(Mail mail);

    /** For the start-up log line: where mail goes. */
    String describe();
}

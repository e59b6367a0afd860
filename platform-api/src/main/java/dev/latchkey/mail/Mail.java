package dev.latchkey.mail;

/** One message, composed: who it goes to, its subject, and its plain-text and HTML bodies. */
public record Mail(String to, String subject, String text, String html) {

    /** The bodies may hold a link with a token: never in a log line or exception message. */
    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + ", text=***, html=***]";
    }
}

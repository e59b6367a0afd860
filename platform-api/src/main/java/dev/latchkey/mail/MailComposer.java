package dev.latchkey.mail;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Composes the mails of one kind when they are sent, not when they are queued: the outbox holds
 * only references (ids), and a mail's link token is made here, in the transaction that sends it,
 * so that no link is ever stored. Implemented by the capability that owns the kind (accounts).
 */
public interface MailComposer {

    /** The kinds this composer makes, as queued with {@link MailOutbox#enqueue}. */
    Set<String> kinds();

    /**
     * The mail to send now, or empty when there is nothing to send any more (the account is gone,
     * the invitation was revoked, no account has this address). Runs in the sending transaction:
     * whatever it writes commits only if the mail was handed to the mail server.
     */
    Optional<Mail> compose(String kind, String recipient, Map<String, String> payload);
}

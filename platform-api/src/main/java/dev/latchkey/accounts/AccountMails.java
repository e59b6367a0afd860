package dev.latchkey.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.latchkey.mail.Mail;
import dev.latchkey.mail.MailComposer;
import dev.latchkey.mail.MailTemplates;

/**
 * The account mails, composed when they are sent: a link's token is made here, inside the sending
 * transaction, so that the outbox never holds one. A mail whose reason is gone (the address
 * changed, the email was verified meanwhile, the invitation was revoked, no account has the
 * address a reset was asked for) is not sent.
 */
@Component
class AccountMails implements MailComposer {

    static final String EMAIL_VERIFICATION = "email_verification";
    static final String PASSWORD_RESET = "password_reset";
    static final String PASSWORD_CHANGED = "password_changed";
    static final String MFA_CHANGED = "mfa_changed";
    static final String INVITATION = "invitation";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final UserRepository users;
    private final InvitationRepository invitations;
    private final OrganizationRepository organizations;
    private final AccountTokens tokens;
    private final SecretTokens secrets;
    private final AccountLinks links;
    private final MailTemplates templates;
    private final Clock clock;
    private final Duration verificationLifetime;
    private final Duration resetLifetime;

    AccountMails(UserRepository users, InvitationRepository invitations, OrganizationRepository organizations,
            AccountTokens tokens, SecretTokens secrets, AccountLinks links, MailTemplates templates, Clock clock,
            AccountsProperties settings) {
        this.users = users;
        this.invitations = invitations;
        this.organizations = organizations;
        this.tokens = tokens;
        this.secrets = secrets;
        this.links = links;
        this.templates = templates;
        this.clock = clock;
        this.verificationLifetime = settings.emailVerificationLifetime();
        this.resetLifetime = settings.passwordResetLifetime();
    }

    @Override
    public Set<String> kinds() {
        return Set.of(EMAIL_VERIFICATION, PASSWORD_RESET, PASSWORD_CHANGED, MFA_CHANGED, INVITATION);
    }

    @Override
    public Optional<Mail> compose(String kind, String recipient, Map<String, String> payload) {
        return switch (kind) {
            case EMAIL_VERIFICATION -> userOf(payload, recipient).filter(user -> !user.emailVerified())
                    .map(user -> {
                        String token = tokens.issue(user, AccountToken.Purpose.EMAIL_VERIFICATION, verificationLifetime);
                        return render("email-verification", user, Map.of("link", links.verifyEmail(token),
                                "expires_at", WHEN.format(clock.instant().plus(verificationLifetime))));
                    });
            case PASSWORD_RESET -> users.findByEmail(recipient).map(user -> {
                String token = tokens.issue(user, AccountToken.Purpose.PASSWORD_RESET, resetLifetime);
                return render("password-reset", user, Map.of("link", links.resetPassword(token),
                        "expires_at", WHEN.format(clock.instant().plus(resetLifetime))));
            });
            case PASSWORD_CHANGED -> userOf(payload, recipient).map(user -> render("password-changed", user,
                    Map.of("how", payload.getOrDefault("how", "changed"), "changed_at", when(payload),
                            "ip", payload.getOrDefault("ip", ""), "reset_link", links.requestPasswordReset())));
            case MFA_CHANGED -> userOf(payload, recipient).map(user -> render("mfa-changed", user,
                    Map.of("change", payload.getOrDefault("change", "changed"), "changed_at", when(payload),
                            "ip", payload.getOrDefault("ip", ""), "others_ended", payload.getOrDefault("others_ended", ""),
                            "reset_link", links.requestPasswordReset())));
            case INVITATION -> invitation(recipient, payload);
            default -> Optional.empty();
        };
    }

    private Optional<Mail> invitation(String recipient, Map<String, String> payload) {
        Optional<Invitation> found = invitations.lockById(UUID.fromString(payload.get("invitation_id")))
                .filter(invitation -> invitation.state(clock.instant()) == Invitation.State.PENDING);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Invitation invitation = found.get();
        Optional<Organization> organization = organizations.findById(invitation.orgId());
        if (organization.isEmpty()) {
            return Optional.empty();
        }
        String inviter = invitation.invitedBy() == null ? "A member" : users.findById(invitation.invitedBy())
                .map(user -> user.name() + " (" + user.email() + ")").orElse("A member");
        String token = secrets.generate(MemberService.TOKEN_PREFIX);
        invitation.mailed(secrets.hash(token), clock.instant());
        Map<String, Object> model = new HashMap<>();
        model.put("inviter", inviter);
        model.put("organization", organization.get().name());
        model.put("role", invitation.role().value());
        model.put("link", links.invitation(token));
        model.put("expires_at", WHEN.format(invitation.expiresAt()));
        model.put("console_url", links.console());
        return Optional.of(templates.render("invitation", recipient, model));
    }

    /** The user of the payload, while the mail's address is still theirs. */
    private Optional<User> userOf(Map<String, String> payload, String recipient) {
        String id = payload.get("user_id");
        return id == null ? Optional.empty() : users.findById(UUID.fromString(id))
                .filter(user -> user.email().equalsIgnoreCase(recipient));
    }

    private Mail render(String template, User user, Map<String, String> values) {
        Map<String, Object> model = new HashMap<>(values);
        model.put("name", user.name());
        model.put("email", user.email());
        model.put("console_url", links.console());
        return templates.render(template, user.email(), model);
    }

    private String when(Map<String, String> payload) {
        String at = payload.get("at");
        return WHEN.format(at == null ? clock.instant() : Instant.parse(at));
    }
}

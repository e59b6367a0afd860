package dev.latchkey.accounts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.web.ConsoleSessions;

/** Platform admins find a user by email and sign them out everywhere. Everyone else gets 404. */
@RestController
@RequestMapping(path = "/v1/admin/users", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminUsersController {

    record AdminUserView(UUID id, String email, String name, boolean platformAdmin, boolean emailVerified,
            boolean mfaEnabled, Instant createdAt, int activeSessions) {
    }

    private final UserRepository users;
    private final UserSessions sessions;
    private final ConsoleSessions consoleSessions;
    private final AuditService audit;

    AdminUsersController(UserRepository users, UserSessions sessions, ConsoleSessions consoleSessions,
            AuditService audit) {
        this.users = users;
        this.sessions = sessions;
        this.consoleSessions = consoleSessions;
        this.audit = audit;
    }

    @GetMapping
    @Transactional
    Page<AdminUserView> find(@RequestParam String email) {
        Caller.User admin = Caller.currentPlatformAdmin();
        if (email.isBlank() || email.length() > 254) {
            throw LatchkeyException.invalidField("email", "must be an email address");
        }
        List<AdminUserView> found = users.findByEmail(email.strip()).stream()
                .map(user -> new AdminUserView(user.id(), user.email(), user.name(), user.platformAdmin(),
                        user.emailVerified(), user.mfaEnabled(), user.createdAt(),
                        consoleSessions.sessionsOf(user.id(), null).size()))
                .toList();
        audit.record(AuditEvent.success("admin.users_searched").by(admin).target("users", null)
                .detail("found", found.size()).build());
        return Page.of(found);
    }

    @DeleteMapping("/{userId}/sessions")
    UserSessions.Ended endSessions(@PathVariable UUID userId) {
        return sessions.endAllOf(Caller.currentPlatformAdmin(), userId);
    }
}

package dev.latchkey.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.web.ConsoleSessions;

/**
 * Users' console sessions: their own list (device, address, created, last seen), ending one or all
 * the others, and a platform admin ending all of a user's. An ended session's browser is signed
 * out at its next request. Every ending is audited.
 */
@Service
public class UserSessions {

    /** One session as its user sees it; {@code device} is a short reading of the user agent. */
    public record SessionItem(UUID id, boolean current, String device, String userAgent, String ip, Instant createdAt,
            Instant lastSeenAt, Instant expiresAt) {
    }

    public record Ended(int ended) {
    }

    private final ConsoleSessions sessions;
    private final UserRepository users;
    private final AuditService audit;

    UserSessions(ConsoleSessions sessions, UserRepository users, AuditService audit) {
        this.sessions = sessions;
        this.users = users;
        this.audit = audit;
    }

    public List<SessionItem> list(Caller.User caller, HttpServletRequest request) {
        return sessions.sessionsOf(caller.userId(), request).stream()
                .map(s -> new SessionItem(s.id(), s.current(), device(s.userAgent()), s.userAgent(), s.ip(),
                        s.createdAt(), s.lastSeenAt(), s.expiresAt()))
                .toList();
    }

    @Transactional
    public void end(Caller.User caller, UUID sessionId, HttpServletRequest request, HttpServletResponse response) {
        audit.record(AuditEvent.success("session.ended").by(caller).target("session", sessionId).build());
        if (!sessions.end(caller.userId(), sessionId, request, response)) {
            throw LatchkeyException.notFound("Session");
        }
    }

    @Transactional
    public Ended endOthers(Caller.User caller, HttpServletRequest request) {
        int ended = sessions.endAll(caller.userId(), request);
        audit.record(AuditEvent.success("session.others_ended").by(caller).target("user", caller.userId())
                .detail("sessions_ended", ended).build());
        return new Ended(ended);
    }

    /** A platform admin signs a user out everywhere (a stolen laptop, a leaving employee). */
    @Transactional
    public Ended endAllOf(Caller.User admin, UUID userId) {
        if (!admin.platformAdmin()) {
            throw LatchkeyException.notFound("Resource");
        }
        users.findById(userId).orElseThrow(() -> LatchkeyException.notFound("User"));
        int ended = sessions.endAll(userId, null);
        audit.record(AuditEvent.success("admin.user_sessions_ended").by(admin).target("user", userId)
                .detail("sessions_ended", ended).build());
        return new Ended(ended);
    }

    int endAll(UUID userId) {
        return sessions.endAll(userId, null);
    }

    int endOthers(UUID userId, HttpServletRequest request) {
        return sessions.endAll(userId, request);
    }

    /** "Firefox on Linux": enough to tell one's devices apart; the full user agent is there too. */
    static String device(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "Unknown device";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        String browser = ua.contains("edg/") ? "Edge" : ua.contains("opr/") || ua.contains("opera") ? "Opera"
                : ua.contains("firefox/") ? "Firefox" : ua.contains("chrome/") || ua.contains("chromium/") ? "Chrome"
                : ua.contains("safari/") ? "Safari" : ua.contains("curl/") ? "curl"
                : ua.startsWith("java") ? "Java" : "Browser";
        String system = ua.contains("iphone") || ua.contains("ipad") ? "iOS" : ua.contains("android") ? "Android"
                : ua.contains("windows") ? "Windows" : ua.contains("mac os") || ua.contains("macintosh") ? "macOS"
                : ua.contains("linux") || ua.contains("x11") ? "Linux" : null;
        return system == null ? browser : browser + " on " + system;
    }
}

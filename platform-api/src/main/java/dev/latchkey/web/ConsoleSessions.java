package dev.latchkey.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.boot.session.autoconfigure.SessionProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.Caller;

/**
 * Starts and ends console sessions (the session cookie) for the accounts capability. The CSRF
 * token is kept in the session: a browser fetches it before its first write, which gives an
 * anonymous visitor a short-lived session; signing in turns that into a full one (new id, fresh
 * token, the configured timeout). Each signed-in session carries a public id (never its cookie
 * value), the client's address and user agent, so that its user can list and end their sessions.
 * A password that was right for an account with a second factor leaves the session half-way:
 * nobody is signed in until the second factor is checked ({@link #beginSecondFactor}).
 */
@Component
public class ConsoleSessions {

    /** How long a session that only holds a CSRF token (nobody signed in) lives without use. */
    static final Duration ANONYMOUS_SESSION_TIMEOUT = Duration.ofMinutes(30);

    /** How long a session may wait for the second factor after the password was right. */
    static final Duration SECOND_FACTOR_TIMEOUT = Duration.ofMinutes(5);

    static final String HANDLE = "latchkey.session.id";
    static final String ADDRESS = "latchkey.session.address";
    static final String USER_AGENT = "latchkey.session.user-agent";
    static final String SECOND_FACTOR = "latchkey.session.second-factor";

    /** One of a user's console sessions, as its user sees it; {@code id} is not the cookie's value. */
    public record ActiveSession(UUID id, boolean current, String ip, String userAgent, Instant createdAt,
            Instant lastSeenAt, Instant expiresAt) {
    }

    /** A session whose password step passed: the user, when it started, and the codes tried so far. */
    public record SecondFactor(UUID userId, Instant startedAt, int attempts) {
    }

    private final SecurityContextRepository securityContextRepository;
    private final CsrfTokenRepository csrfTokenRepository;
    private final FindByIndexNameSessionRepository<? extends Session> sessionRepository;
    private final Duration sessionTimeout;

    ConsoleSessions(SecurityContextRepository securityContextRepository, CsrfTokenRepository csrfTokenRepository,
            FindByIndexNameSessionRepository<? extends Session> sessionRepository,
            SessionProperties sessions, ServerProperties server) {
        this.securityContextRepository = securityContextRepository;
        this.csrfTokenRepository = csrfTokenRepository;
        this.sessionRepository = sessionRepository;
        // Spring Session's own rule: spring.session.timeout, else server.servlet.session.timeout.
        this.sessionTimeout = sessions.determineTimeout(() -> server.getServlet().getSession().getTimeout());
    }

    /** Signs the user in: a new session id (no fixation) and a fresh CSRF token. */
    public void signIn(Caller.User user, HttpServletRequest request, HttpServletResponse response) {
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            request.changeSessionId();
        } else {
            request.getSession(true);
        }
        HttpSession session = request.getSession();
        session.setMaxInactiveInterval((int) sessionTimeout.toSeconds());
        session.removeAttribute(SECOND_FACTOR);
        RequestMetadata client = RequestMetadata.of(request);
        session.setAttribute(HANDLE, UUID.randomUUID().toString());
        session.setAttribute(ADDRESS, client.ip() == null ? "" : client.ip());
        session.setAttribute(USER_AGENT, client.userAgent() == null ? "" : client.userAgent());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, List.of()));
        SecurityContextHolder.setContext(context);
        securityContextRepository.saveContext(context, request, response);
        csrfTokenRepository.saveToken(null, request, response);
    }

    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        csrfTokenRepository.saveToken(null, request, response);
    }

    /**
     * The CSRF token a browser must echo on cookie-authenticated writes, masked afresh on every
     * call (any masking of the session's token is accepted). It lives in the session, which is
     * created here for a visitor who has none, with a short timeout until someone signs in.
     */
    public CsrfToken csrfToken(HttpServletRequest request, HttpServletResponse response) {
        boolean hadSession = request.getSession(false) != null;
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        if (token == null) {
            token = csrfTokenRepository.loadDeferredToken(request, response).get();
        }
        token.getToken(); // generates and stores it in the session if there was none
        HttpSession session = request.getSession(false);
        if (!hadSession && session != null) {
            session.setMaxInactiveInterval((int) ANONYMOUS_SESSION_TIMEOUT.toSeconds());
        }
        return token;
    }

    /**
     * The password was right and the account has a second factor: a new session id, nobody signed
     * in, and the user remembered for {@link #SECOND_FACTOR_TIMEOUT} until the code is checked.
     */
    public void beginSecondFactor(UUID userId, Instant now, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        HttpSession session = request.getSession(true);
        session.setMaxInactiveInterval((int) SECOND_FACTOR_TIMEOUT.toSeconds());
        SecurityContextHolder.clearContext();
        securityContextRepository.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
        session.setAttribute(SECOND_FACTOR, userId + " " + now.toEpochMilli() + " 0");
        csrfTokenRepository.saveToken(null, request, response);
    }

    /** The session's pending second factor, if its password step passed within the timeout. */
    public Optional<SecondFactor> secondFactor(HttpServletRequest request, Instant now) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(SECOND_FACTOR) instanceof String pending)) {
            return Optional.empty();
        }
        String[] parts = pending.split(" ");
        SecondFactor factor = new SecondFactor(UUID.fromString(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])),
                Integer.parseInt(parts[2]));
        if (!now.isBefore(factor.startedAt().plus(SECOND_FACTOR_TIMEOUT))) {
            session.removeAttribute(SECOND_FACTOR);
            return Optional.empty();
        }
        return Optional.of(factor);
    }

    /** Counts a wrong code; after {@code maxAttempts} the password step must be done again. */
    public void secondFactorFailed(HttpServletRequest request, SecondFactor factor, int maxAttempts) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        if (factor.attempts() + 1 >= maxAttempts) {
            session.removeAttribute(SECOND_FACTOR);
        } else {
            session.setAttribute(SECOND_FACTOR, factor.userId() + " " + factor.startedAt().toEpochMilli() + " "
                    + (factor.attempts() + 1));
        }
    }

    /** The user's console sessions that are signed in, the current one first, then the most recently used. */
    public List<ActiveSession> sessionsOf(UUID userId, HttpServletRequest current) {
        String currentId = currentSessionId(current);
        return sessionRepository.findByPrincipalName(userId.toString()).values().stream()
                .filter(session -> !session.isExpired() && session.getAttribute(HANDLE) != null)
                .map(session -> view(session, session.getId().equals(currentId)))
                .sorted(Comparator.comparing(ActiveSession::current).reversed()
                        .thenComparing(ActiveSession::lastSeenAt, Comparator.reverseOrder()))
                .toList();
    }

    /**
     * Ends one of the user's sessions by its public id: that browser is signed out at its next
     * request. Ending the current one signs this request out. False when the user has no such session.
     */
    public boolean end(UUID userId, UUID sessionId, HttpServletRequest request, HttpServletResponse response) {
        String currentId = currentSessionId(request);
        for (Map.Entry<String, ? extends Session> entry : sessionRepository.findByPrincipalName(userId.toString())
                .entrySet()) {
            if (sessionId.toString().equals(entry.getValue().getAttribute(HANDLE))) {
                if (entry.getKey().equals(currentId)) {
                    signOut(request, response);
                } else {
                    sessionRepository.deleteById(entry.getKey());
                }
                return true;
            }
        }
        return false;
    }

    /** Ends every session of the user except the request's own (null: all of them); how many ended. */
    public int endAll(UUID userId, HttpServletRequest keep) {
        String keepId = keep == null ? null : currentSessionId(keep);
        int ended = 0;
        for (String id : List.copyOf(sessionRepository.findByPrincipalName(userId.toString()).keySet())) {
            if (!id.equals(keepId)) {
                sessionRepository.deleteById(id);
                ended++;
            }
        }
        return ended;
    }

    private static String currentSessionId(HttpServletRequest request) {
        HttpSession session = request == null ? null : request.getSession(false);
        return session == null ? null : session.getId();
    }

    private static ActiveSession view(Session session, boolean current) {
        Instant lastSeen = session.getLastAccessedTime();
        return new ActiveSession(UUID.fromString(session.getAttribute(HANDLE)), current,
                blankToNull(session.getAttribute(ADDRESS)), blankToNull(session.getAttribute(USER_AGENT)),
                session.getCreationTime(), lastSeen, lastSeen.plus(session.getMaxInactiveInterval()));
    }

    private static String blankToNull(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}

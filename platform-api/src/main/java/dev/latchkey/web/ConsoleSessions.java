package dev.latchkey.web;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.stereotype.Component;

/**
 * Starts and ends console sessions (the session cookie) for the accounts capability. The CSRF
 * token is kept in the session: a browser fetches it before its first write, which gives an
 * anonymous visitor a short-lived session; signing in turns that into a full one (new id, fresh
 * token, the configured timeout).
 */
@Component
public class ConsoleSessions {

    /** How long a session that only holds a CSRF token (nobody signed in) lives without use. */
    static final Duration ANONYMOUS_SESSION_TIMEOUT = Duration.ofMinutes(30);

    private final SecurityContextRepository securityContextRepository;
    private final CsrfTokenRepository csrfTokenRepository;
    private final Duration sessionTimeout;

    ConsoleSessions(SecurityContextRepository securityContextRepository, CsrfTokenRepository csrfTokenRepository,
            @Value("${spring.session.timeout:${server.servlet.session.timeout:30m}}") Duration sessionTimeout) {
        this.securityContextRepository = securityContextRepository;
        this.csrfTokenRepository = csrfTokenRepository;
        this.sessionTimeout = sessionTimeout;
    }

    /** Signs the user in: a new session id (no fixation) and a fresh CSRF token. */
    public void signIn(Caller.User user, HttpServletRequest request, HttpServletResponse response) {
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            request.changeSessionId();
        } else {
            request.getSession(true);
        }
        request.getSession().setMaxInactiveInterval((int) sessionTimeout.toSeconds());
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
}

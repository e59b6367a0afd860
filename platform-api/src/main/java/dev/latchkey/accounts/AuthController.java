package dev.latchkey.accounts;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.ConsoleSessions;

@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class AuthController {

    /** Wrong codes one password step allows before the password must be given again. */
    static final int MAX_SECOND_FACTOR_ATTEMPTS = 5;

    private final AccountService accounts;
    private final ConsoleSessions sessions;
    private final AccountSecurity security;
    private final UserSessions userSessions;
    private final Clock clock;

    AuthController(AccountService accounts, ConsoleSessions sessions, AccountSecurity security,
            UserSessions userSessions, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.security = security;
        this.userSessions = userSessions;
        this.clock = clock;
    }

    /** {@code organizationName} unless {@code invitationToken}: then the new account joins that organization. */
    record SignupRequest(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 12, max = 72) String password,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 200) String organizationName,
            @Size(max = 200) String invitationToken) {
        @Override
        public String toString() {
            return "SignupRequest[email=" + email + ", password=***, name=" + name + ", organizationName="
                    + organizationName + ", invitationToken=" + (invitationToken == null ? null : "***") + "]";
        }
    }

    record SecondFactorRequest(@NotBlank @Size(max = 32) String code) {
        @Override
        public String toString() {
            return "SecondFactorRequest[code=***]";
        }
    }

    record TokenRequest(@NotBlank @Size(max = 200) String token) {
        @Override
        public String toString() {
            return "TokenRequest[token=***]";
        }
    }

    record ResetRequest(@NotBlank @Email @Size(max = 254) String email) {
    }

    record ResetConfirmation(@NotBlank @Size(max = 200) String token, @NotNull @Size(min = 12, max = 72) String password) {
        @Override
        public String toString() {
            return "ResetConfirmation[token=***, password=***]";
        }
    }

    record Accepted(String detail) {
    }

    record LoginRequest(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
        @Override
        public String toString() {
            return "LoginRequest[email=" + email + ", password=***]";
        }
    }

    record CsrfResponse(String token, String headerName) {
        @Override
        public String toString() {
            return "CsrfResponse[token=***, headerName=" + headerName + "]";
        }
    }

    @PostMapping(path = "/auth/signup", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    SignupResult signup(@Valid @RequestBody SignupRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        SignupResult result = accounts.signup(new AccountService.Signup(request.email(), request.password(),
                request.name(), request.organizationName(), request.invitationToken()));
        sessions.signIn(accounts.callerOf(result.user()), http, response);
        return result;
    }

    @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    SessionView login(@Valid @RequestBody LoginRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        AccountService.LoginOutcome outcome = accounts.login(request.email(), request.password());
        if (outcome instanceof AccountService.SecondFactorNeeded needed) {
            sessions.beginSecondFactor(needed.userId(), clock.instant(), http, response);
            throw new LatchkeyException(AccountProblems.MFA_REQUIRED, "The password is right; now send the current"
                    + " code of your authenticator app, or a recovery code, to POST /v1/auth/login/mfa within 5 minutes");
        }
        SessionView session = ((AccountService.SignedIn) outcome).session();
        sessions.signIn(accounts.callerOf(session.user()), http, response);
        return session;
    }

    /** The second step of a login, in the session whose password step passed. */
    @PostMapping(path = "/auth/login/mfa", consumes = MediaType.APPLICATION_JSON_VALUE)
    SessionView secondFactor(@Valid @RequestBody SecondFactorRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        ConsoleSessions.SecondFactor pending = sessions.secondFactor(http, clock.instant()).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED,
                        "Log in with your email and password first (the code must follow within 5 minutes)"));
        SessionView session;
        try {
            session = accounts.completeSecondFactor(pending.userId(), request.code());
        } catch (LatchkeyException e) {
            if (e.problemType() == AccountProblems.INVALID_MFA_CODE) {
                sessions.secondFactorFailed(http, pending, MAX_SECOND_FACTOR_ATTEMPTS);
            }
            throw e;
        }
        sessions.signIn(accounts.callerOf(session.user()), http, response);
        return session;
    }

    @PostMapping(path = "/auth/verify-email", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> verifyEmail(@Valid @RequestBody TokenRequest request) {
        security.verifyEmail(request.token());
        return ResponseEntity.noContent().build();
    }

    /** The same answer whether or not an account has the address. */
    @PostMapping(path = "/auth/password-reset", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted requestPasswordReset(@Valid @RequestBody ResetRequest request) {
        security.requestPasswordReset(request.email());
        return new Accepted("If an account has this email, a link to choose a new password is on its way to it");
    }

    @PostMapping(path = "/auth/password-reset/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> resetPassword(@Valid @RequestBody ResetConfirmation request, HttpServletRequest http,
            HttpServletResponse response) {
        security.resetPassword(request.token(), request.password(), userSessions::endAll);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/auth/logout")
    ResponseEntity<Void> logout(HttpServletRequest http, HttpServletResponse response) {
        if (http.getUserPrincipal() != null && currentUserOrNull() instanceof Caller.User user) {
            accounts.recordLogout(user);
        }
        sessions.signOut(http, response);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/auth/csrf")
    CsrfResponse csrf(HttpServletRequest http, HttpServletResponse response) {
        CsrfToken token = sessions.csrfToken(http, response);
        return new CsrfResponse(token.getToken(), token.getHeaderName());
    }

    @GetMapping("/me")
    SessionView me() {
        return accounts.me(Caller.currentUser());
    }

    private static Caller currentUserOrNull() {
        try {
            return Caller.current();
        } catch (RuntimeException notSignedIn) {
            return null;
        }
    }
}

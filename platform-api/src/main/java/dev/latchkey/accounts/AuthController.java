package dev.latchkey.accounts;

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

import dev.latchkey.web.Caller;
import dev.latchkey.web.ConsoleSessions;

@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class AuthController {

    private final AccountService accounts;
    private final ConsoleSessions sessions;

    AuthController(AccountService accounts, ConsoleSessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    record SignupRequest(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 12, max = 72) String password,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 200) String organizationName) {
        @Override
        public String toString() {
            return "SignupRequest[email=" + email + ", password=***, name=" + name + ", organizationName="
                    + organizationName + "]";
        }
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
                request.name(), request.organizationName()));
        sessions.signIn(accounts.callerOf(result.user()), http, response);
        return result;
    }

    @PostMapping(path = "/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    SessionView login(@Valid @RequestBody LoginRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        SessionView session = accounts.login(request.email(), request.password());
        sessions.signIn(accounts.callerOf(session.user()), http, response);
        return session;
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

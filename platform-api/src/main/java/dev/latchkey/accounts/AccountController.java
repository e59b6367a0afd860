package dev.latchkey.accounts;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Page;

/** The signed-in user's own account: email verification, password, two-factor authentication, sessions. */
@RestController
@RequestMapping(path = "/v1/me", produces = MediaType.APPLICATION_JSON_VALUE)
class AccountController {

    private final AccountSecurity security;
    private final TwoFactor twoFactor;
    private final UserSessions sessions;

    AccountController(AccountSecurity security, TwoFactor twoFactor, UserSessions sessions) {
        this.security = security;
        this.twoFactor = twoFactor;
        this.sessions = sessions;
    }

    record PasswordChange(@NotNull @Size(max = 1024) String currentPassword,
            @NotNull @Size(min = 12, max = 72) String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[***]";
        }
    }

    record CodeRequest(@NotBlank @Size(max = 32) String code) {
        @Override
        public String toString() {
            return "CodeRequest[code=***]";
        }
    }

    record DisableRequest(@NotNull @Size(max = 1024) String password, @NotBlank @Size(max = 32) String code) {
        @Override
        public String toString() {
            return "DisableRequest[***]";
        }
    }

    record Accepted(String detail) {
    }

    @PostMapping("/email-verification")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted sendVerification() {
        Caller.User caller = Caller.currentUser();
        security.sendVerification(caller);
        return new Accepted("A new verification link is on its way to " + caller.email());
    }

    @PostMapping(path = "/password", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> changePassword(@Valid @RequestBody PasswordChange request, HttpServletRequest http) {
        Caller.User caller = Caller.currentUser();
        security.changePassword(caller, request.currentPassword(), request.newPassword(),
                () -> sessions.endOthers(caller.userId(), http));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/mfa")
    TwoFactor.Status mfa() {
        return twoFactor.status(Caller.currentUser());
    }

    @PostMapping("/mfa/totp")
    @ResponseStatus(HttpStatus.CREATED)
    TwoFactor.Enrolment beginTotp() {
        return twoFactor.begin(Caller.currentUser());
    }

    @PostMapping(path = "/mfa/totp/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    TwoFactor.RecoveryCodes confirmTotp(@Valid @RequestBody CodeRequest request) {
        return twoFactor.confirm(Caller.currentUser(), request.code());
    }

    @PostMapping(path = "/mfa/disable", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> disableMfa(@Valid @RequestBody DisableRequest request, HttpServletRequest http) {
        Caller.User caller = Caller.currentUser();
        twoFactor.disable(caller, request.password(), request.code(), () -> sessions.endOthers(caller.userId(), http));
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/mfa/recovery-codes", consumes = MediaType.APPLICATION_JSON_VALUE)
    TwoFactor.RecoveryCodes regenerateRecoveryCodes(@Valid @RequestBody CodeRequest request) {
        return twoFactor.regenerate(Caller.currentUser(), request.code());
    }

    @GetMapping("/sessions")
    Page<UserSessions.SessionItem> sessions(HttpServletRequest http) {
        return Page.of(sessions.list(Caller.currentUser(), http));
    }

    @DeleteMapping("/sessions/{sessionId}")
    ResponseEntity<Void> endSession(@PathVariable UUID sessionId, HttpServletRequest http,
            HttpServletResponse response) {
        sessions.end(Caller.currentUser(), sessionId, http, response);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/sessions/end-others")
    UserSessions.Ended endOtherSessions(HttpServletRequest http) {
        return sessions.endOthers(Caller.currentUser(), http);
    }
}

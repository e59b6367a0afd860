package dev.latchkey.sessions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.latchkey.broker.ServerTiming;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.kernel.ProblemType;

@RestController
class RealtimeSessionsController {

    static final String CALLS_PATH = "/v1/realtime/calls";
    private static final MediaType SDP = MediaType.parseMediaType("application/sdp");

    private final SessionTokenService sessions;
    private final CallProxy proxy;
    private final CallRegistry registry;

    RealtimeSessionsController(SessionTokenService sessions, CallProxy proxy, CallRegistry registry) {
        this.sessions = sessions;
        this.proxy = proxy;
        this.registry = registry;
    }

    record SessionTokenResponse(String token, Instant expiresAt, String callsUrl) {
        @Override
        public String toString() {
            return "SessionTokenResponse[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    @PostMapping(path = "/v1/realtime/sessions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SessionTokenResponse> mint(@RequestBody SessionTokenService.SessionRequest request,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId,
            @RequestHeader(name = "X-Provider-Auth", required = false) String providerAuth) {
        if (providerAuth != null) {
            throw LatchkeyException.invalidField("X-Provider-Auth",
                    "is not supported for session tokens: a session token is pinned to a stored credential");
        }
        SessionTokenService.IssuedSessionToken issued = sessions.mint(Caller.current(), request, credentialId);
        String callsUrl = ServletUriComponentsBuilder.fromCurrentContextPath().path(CALLS_PATH).toUriString();
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .body(new SessionTokenResponse(issued.token(), issued.expiresAt(), callsUrl));
    }

    /** The browser's offer with {@code Authorization: Bearer pst_...}; 201 with the SDP answer. */
    @PostMapping(path = CALLS_PATH, consumes = "application/sdp")
    ResponseEntity<byte[]> call(@RequestBody(required = false) byte[] offer, HttpServletRequest http) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || !(authentication.getPrincipal() instanceof SessionTokenAuthenticator.PresentedToken presented)) {
            throw new LatchkeyException(ProblemType.UNAUTHENTICATED,
                    "Calls are started with a one-time session token: Authorization: Bearer pst_...");
        }
        CallProxy.StartedCall call = proxy.start(presented, offer);
        return ResponseEntity.status(HttpStatus.CREATED)
                .headers(headers -> call.headers().forEach(headers::set))
                .location(URI.create(CALLS_PATH + "/" + call.id()))
                .contentType(SDP)
                .header("Cache-Control", "no-store")
                .header("Server-Timing", ServerTiming.header(http))
                .body(call.answer().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping(path = CALLS_PATH + "/{callId}", produces = MediaType.APPLICATION_JSON_VALUE)
    CallView get(@PathVariable UUID callId) {
        return registry.get(Caller.current(), callId);
    }

    @PostMapping(path = CALLS_PATH + "/{callId}/hangup", produces = MediaType.APPLICATION_JSON_VALUE)
    CallView hangUp(@PathVariable UUID callId) {
        return registry.hangUp(Caller.current(), callId);
    }

    @GetMapping(path = "/v1/orgs/{orgId}/calls", produces = MediaType.APPLICATION_JSON_VALUE)
    Page<CallView> list(@PathVariable UUID orgId, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        return registry.list(Caller.current(), orgId, cursor, limit);
    }
}

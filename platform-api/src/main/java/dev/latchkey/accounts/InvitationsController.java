package dev.latchkey.accounts;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.latchkey.kernel.Caller;

/**
 * The invitee's side of an invitation, for any signed-in console user: the token is the proof,
 * never the email. The token travels in the body and in the link's fragment ({@code #token=}),
 * which browsers never send to a server: never in a URL path or query that servers and proxies
 * log.
 */
@RestController
@RequestMapping(path = "/v1/invitations", produces = MediaType.APPLICATION_JSON_VALUE)
class InvitationsController {

    /** The console route that accepts an invitation; the token follows it in the fragment. */
    static final String ACCEPT_ROUTE = "/invitations/accept#token=";

    private final MemberService members;

    InvitationsController(MemberService members) {
        this.members = members;
    }

    record TokenRequest(@NotBlank @Size(max = 200) String token) {
        @Override
        public String toString() {
            return "TokenRequest[token=***]";
        }
    }

    record Accepted(OrganizationView organization) {
    }

    @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    InvitationPreview preview(@Valid @RequestBody TokenRequest request) {
        return members.preview(Caller.currentUser(), request.token());
    }

    @PostMapping(path = "/accept", consumes = MediaType.APPLICATION_JSON_VALUE)
    Accepted accept(@Valid @RequestBody TokenRequest request) {
        return new Accepted(members.accept(Caller.currentUser(), request.token()));
    }

    /** The link an inviter hands over, up to the token: this server's console. */
    static String acceptLinkBase() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() + ACCEPT_ROUTE;
    }
}

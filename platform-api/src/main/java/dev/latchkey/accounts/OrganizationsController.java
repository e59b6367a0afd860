package dev.latchkey.accounts;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;

@RestController
@RequestMapping(path = "/v1/orgs", produces = MediaType.APPLICATION_JSON_VALUE)
class OrganizationsController {

    private final OrganizationService organizations;
    private final MemberService members;

    OrganizationsController(OrganizationService organizations, MemberService members) {
        this.organizations = organizations;
        this.members = members;
    }

    record OrganizationRequest(@NotBlank @Size(max = 200) String name) {
    }

    record InviteRequest(@NotBlank @Email @Size(max = 254) String email,
            @NotNull String role) {
    }

    record SecurityRequest(@NotNull Boolean requireMfa) {
    }

    record Resent(String detail) {
    }

    record ChangeRoleRequest(@NotNull String role) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    OrganizationView create(@Valid @RequestBody OrganizationRequest request) {
        return organizations.create(Caller.currentUser(), request.name());
    }

    @GetMapping("/{orgId}")
    OrganizationView get(@PathVariable UUID orgId) {
        return organizations.get(Caller.current(), orgId);
    }

    @PatchMapping(path = "/{orgId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    OrganizationView rename(@PathVariable UUID orgId, @Valid @RequestBody OrganizationRequest request) {
        return organizations.rename(Caller.current(), orgId, request.name());
    }

    @DeleteMapping("/{orgId}")
    ResponseEntity<Void> delete(@PathVariable UUID orgId) {
        organizations.delete(Caller.current(), orgId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{orgId}/members")
    Page<MemberView> members(@PathVariable UUID orgId) {
        return Page.of(members.list(Caller.current(), orgId));
    }

    /** Always an invitation, whether or not the email has an account: nobody joins without the token. */
    @PostMapping(path = "/{orgId}/members", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    CreatedInvitation invite(@PathVariable UUID orgId, @Valid @RequestBody InviteRequest request) {
        return members.invite(Caller.current(), orgId, request.email(), role(request.role()),
                InvitationsController.acceptLinkBase());
    }

    /** The organization's security settings (owners and admins, in the console). */
    @org.springframework.web.bind.annotation.PutMapping(path = "/{orgId}/security", consumes = MediaType.APPLICATION_JSON_VALUE)
    OrganizationView security(@PathVariable UUID orgId, @Valid @RequestBody SecurityRequest request) {
        return organizations.requireMfa(Caller.current(), orgId, request.requireMfa());
    }

    @PostMapping("/{orgId}/invitations/{invitationId}/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Resent resendInvitation(@PathVariable UUID orgId, @PathVariable UUID invitationId) {
        members.resendInvitation(Caller.current(), orgId, invitationId);
        return new Resent("The invitation mail is on its way again, with a new link; the previous mailed link no"
                + " longer works");
    }

    @GetMapping("/{orgId}/invitations")
    Page<MemberView> invitations(@PathVariable UUID orgId) {
        return Page.of(members.invitations(Caller.current(), orgId));
    }

    @PatchMapping(path = "/{orgId}/members/{userId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    MemberView changeRole(@PathVariable UUID orgId, @PathVariable UUID userId,
            @Valid @RequestBody ChangeRoleRequest request) {
        return members.changeRole(Caller.current(), orgId, userId, role(request.role()));
    }

    @DeleteMapping("/{orgId}/members/{userId}")
    ResponseEntity<Void> removeMember(@PathVariable UUID orgId, @PathVariable UUID userId) {
        members.remove(Caller.current(), orgId, userId);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{orgId}/invitations/{invitationId}")
    ResponseEntity<Void> revokeInvitation(@PathVariable UUID orgId, @PathVariable UUID invitationId) {
        members.revokeInvitation(Caller.current(), orgId, invitationId);
        return ResponseEntity.noContent().build();
    }

    private static Role role(String value) {
        return Role.parse(value).orElseThrow(() -> LatchkeyException.invalidField("role",
                "must be one of owner, admin, developer, billing, viewer"));
    }
}

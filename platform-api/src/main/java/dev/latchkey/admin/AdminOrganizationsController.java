package dev.latchkey.admin;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.accounts.OrganizationSummary;
import dev.latchkey.apikeys.ApiKeyService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Page;
import dev.latchkey.ledger.OrganizationUsage;
import dev.latchkey.ledger.OrganizationUsages;

/** Platform admins' view of every organization, and suspension. Anyone else gets 404. */
@RestController
@RequestMapping(path = "/v1/admin/orgs", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminOrganizationsController {

    private final OrganizationService organizations;
    private final ApiKeyService apiKeys;
    private final OrganizationUsages usages;

    AdminOrganizationsController(OrganizationService organizations, ApiKeyService apiKeys,
            OrganizationUsages usages) {
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.usages = usages;
    }

    record SuspendRequest(@Size(max = 500) String reason) {
    }

    @GetMapping
    Page<AdminOrganizationView> list(@RequestParam(name = "q", required = false) String query,
            @RequestParam(required = false) String status, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        Caller.User admin = Caller.currentPlatformAdmin();
        Page<OrganizationSummary> page = organizations.listForPlatformAdmin(admin, query,
                status == null || status.isBlank() ? null : status.trim(), cursor, limit);
        return new Page<>(views(admin, page.items()), page.nextCursor());
    }

    /** Suspends the organization; optional body {@code {"reason": "..."}} (recorded in its audit log). */
    @PostMapping("/{orgId}/suspend")
    AdminOrganizationView suspend(@PathVariable UUID orgId,
            @Valid @RequestBody(required = false) SuspendRequest request) {
        Caller.User admin = Caller.currentPlatformAdmin();
        OrganizationSummary suspended = organizations.suspend(admin, orgId, request == null ? null : request.reason());
        return views(admin, List.of(suspended)).get(0);
    }

    @PostMapping("/{orgId}/resume")
    AdminOrganizationView resume(@PathVariable UUID orgId) {
        Caller.User admin = Caller.currentPlatformAdmin();
        return views(admin, List.of(organizations.resume(admin, orgId))).get(0);
    }

    private List<AdminOrganizationView> views(Caller.User admin, List<OrganizationSummary> summaries) {
        Set<UUID> ids = summaries.stream().map(OrganizationSummary::id).collect(Collectors.toSet());
        Map<UUID, Long> keyCounts = apiKeys.countUnrevokedKeys(admin, ids);
        Map<UUID, OrganizationUsage> usage = usages.thisPeriod(admin, ids);
        return summaries.stream()
                .map(summary -> AdminOrganizationView.of(summary, keyCounts.getOrDefault(summary.id(), 0L),
                        usage.get(summary.id())))
                .toList();
    }
}

package dev.latchkey.accounts;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.web.AllowedOrigins;

/**
 * An organization's allowed browser origins ({@code settings.allowed_origins}): the CORS rule of
 * the broker and session endpoints. Reads are cached for {@link #CACHE_TTL} on each instance, so
 * a change reaches every instance within that time.
 */
@Service
class OrganizationOrigins implements AllowedOrigins {

    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final int MAX_ORIGINS = 50;

    private final OrganizationRepository organizations;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final Clock clock;
    private final Cache<UUID, Set<String>> byOrganization = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();
    private final Cache<String, Boolean> bySomeOrganization = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(100_000).build();

    OrganizationOrigins(OrganizationRepository organizations, OrgAccess orgAccess, AuditService audit, Clock clock) {
        this.organizations = organizations;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    List<String> get(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.ORG_READ);
        return stored(orgId);
    }

    /** Replaces the allowed origins: each {@code http(s)://host[:port]}, no path, no wildcard. */
    @Transactional
    List<String> put(Caller caller, UUID orgId, List<String> origins) {
        orgAccess.require(caller, orgId, Permission.ORG_MANAGE);
        if (origins == null) {
            throw LatchkeyException.invalidField("allowed_origins", "is required (an empty list allows none)");
        }
        if (origins.size() > MAX_ORIGINS) {
            throw LatchkeyException.invalidField("allowed_origins", "must have at most " + MAX_ORIGINS + " entries");
        }
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            normalized.add(normalize(origin).orElseThrow(() -> LatchkeyException.invalidField("allowed_origins",
                    "entries must be origins such as https://app.example.com (scheme, host and optional port;"
                            + " no path, no wildcard)")));
        }
        List<String> value = new ArrayList<>(normalized);
        organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound).allowOrigins(value, clock.instant());
        organizations.flush();
        byOrganization.invalidate(orgId);
        bySomeOrganization.invalidateAll();
        audit.record(AuditEvent.success("organization.allowed_origins_changed").by(caller).org(orgId)
                .target("organization", orgId).detail("allowed_origins", String.join(" ", value)).build());
        return value;
    }

    @Override
    public boolean allowedBySomeOrganization(String origin) {
        return normalize(origin).map(normalized -> bySomeOrganization.get(normalized, organizations::existsActiveAllowing))
                .orElse(false);
    }

    @Override
    public boolean allowedFor(UUID orgId, String origin) {
        return normalize(origin).map(normalized -> byOrganization.get(orgId, id -> Set.copyOf(stored(id))).contains(normalized))
                .orElse(false);
    }

    private List<String> stored(UUID orgId) {
        return organizations.findById(orgId).map(Organization::allowedOrigins).orElse(List.of());
    }

    /**
     * An origin as browsers send it: lower-case scheme and host, the port only when it is not the
     * scheme's default. Empty for anything else ({@code null}, paths, user info, wildcards).
     */
    static java.util.Optional<String> normalize(String origin) {
        if (origin == null || origin.isBlank() || origin.length() > 255) {
            return java.util.Optional.empty();
        }
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (!(scheme.equals("http") || scheme.equals("https")) || host == null || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return java.util.Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                    || (scheme.equals("https") && port == 443);
            return java.util.Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }
}

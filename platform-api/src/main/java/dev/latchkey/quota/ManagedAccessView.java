package dev.latchkey.quota;

import java.util.List;

/**
 * Which providers an organization may broker through the platform's managed credentials:
 * {@code providers} switched on by a platform admin, {@code planProviders} from its plan, and
 * {@code effectiveProviders}, the two together. It says nothing of the platform's credentials.
 */
public record ManagedAccessView(List<String> providers, String plan, List<String> planProviders,
        List<String> effectiveProviders) {
}

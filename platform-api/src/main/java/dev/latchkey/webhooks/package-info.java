/**
 * Webhook endpoints of an organization, their signed deliveries with retries, and the delivery
 * log. Fed by events of other modules ({@code ledger}'s usage alerts), never called by them.
 */
@ApplicationModule(displayName = "Webhooks")
package dev.latchkey.webhooks;

import org.springframework.modulith.ApplicationModule;

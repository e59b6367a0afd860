package dev.latchkey.sessions;

import java.time.Instant;
import java.util.UUID;

/**
 * A call proxied through {@code POST /v1/realtime/calls}, as the calls registry has it.
 * {@code hangup_due_at} is when Latchkey ends it at the policy's {@code max_session_seconds}
 * (null without a cap, and once it has ended); {@code ended_at} and {@code end_reason} are set
 * when Latchkey or the app ended it ({@code max_session_seconds}, {@code hangup},
 * {@code already_ended}) — a call the browser or provider ended on its own stays open here.
 * {@code end_reason} {@code hangup_failed} means the provider could not be told to end it.
 * {@code credential_source} is {@code own} (the organization's credential {@code credential_id}) or
 * {@code managed} (the platform's, never named: {@code credential_id} is then null).
 */
public record CallView(UUID id, String provider, String providerCallId, String endUser, UUID apiKeyId,
        UUID credentialId, String credentialSource, Instant startedAt, Integer maxSessionSeconds, Instant hangupDueAt, Instant endedAt,
        String endReason) {
}

package dev.latchkey.broker;

/** A provider's answer to a call's SDP offer. {@code providerCallId} may be null where the provider names none. */
public record CallAnswer(String sdp, String providerCallId) {
}

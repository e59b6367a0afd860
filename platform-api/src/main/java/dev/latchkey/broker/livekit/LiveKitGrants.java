package dev.latchkey.broker.livekit;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code grants} of a LiveKit token request: LiveKit's video grants by their snake_case names
 * (the components are LiveKit's own claim names), each absent unless asked for. A name that is
 * not here is refused when the request is read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveKitGrants(Boolean canPublish, Boolean canSubscribe, Boolean canPublishData,
        List<@NotNull(message = SOURCES_RULE) @Pattern(regexp = SOURCES, message = SOURCES_RULE) String> canPublishSources,
        Boolean canUpdateOwnMetadata, Boolean hidden, Boolean roomAdmin, Boolean roomRecord, Boolean roomCreate,
        Boolean roomList, Boolean ingressAdmin, Boolean recorder, Boolean agent) {

    static final String SOURCES = "camera|microphone|screen_share|screen_share_audio";
    static final String SOURCES_RULE = "must be a list of camera, microphone, screen_share or screen_share_audio";
}

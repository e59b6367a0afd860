package dev.latchkey.broker.spi;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Named room presets, so apps ask for a kind of room instead of spelling out provider properties. */
public enum RoomProfile {
    /** A few people talking, camera and microphone on, no extras. */
    CONVERSATION("conversation", Map.of("max_participants", 10, "enable_chat", false, "enable_screenshare", false,
            "enable_prejoin_ui", false)),
    /** One or few presenters, many viewers with chat. */
    BROADCAST("broadcast", Map.of("max_participants", 1000, "enable_chat", true, "enable_screenshare", true,
            "owner_only_broadcast", true, "start_video_off", true, "start_audio_off", true)),
    /** Voice only: cameras off, no screen sharing. */
    AUDIO_ONLY("audio-only", Map.of("max_participants", 10, "start_video_off", true, "enable_screenshare", false,
            "enable_chat", false));

    private final String id;
    private final Map<String, Object> properties;

    RoomProfile(String id, Map<String, Object> properties) {
        this.id = id;
        this.properties = properties;
    }

    public String id() {
        return id;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public static Optional<RoomProfile> parse(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }
}

package dev.latchkey.broker.daily;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.spi.RoomProfile;
import dev.latchkey.broker.spi.Rooms;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Daily rooms: {@code POST /rooms}, {@code GET /rooms/{name}}, {@code DELETE /rooms/{name}}.
 * Every room Latchkey creates is private and expires ({@code exp}, ejecting at expiry).
 */
@Component
class DailyRooms implements Rooms {

    /** The room properties a client may override, and what each must be. */
    private static final Map<String, String> OVERRIDES = Map.of(
            "max_participants", "integer", "enable_chat", "boolean", "enable_screenshare", "boolean",
            "enable_prejoin_ui", "boolean", "start_video_off", "boolean", "start_audio_off", "boolean",
            "eject_after_elapsed", "integer", "enable_recording", "recording");
    private static final Set<String> RECORDING = Set.of("cloud", "local", "raw-tracks");

    private final DailyApi daily;

    DailyRooms(DailyApi daily) {
        this.daily = daily;
    }

    @Override
    public Provider provider() {
        return Provider.DAILY;
    }

    @Override
    public JsonNode create(DecryptedCredential credential, String name, RoomProfile profile, JsonNode overrides,
            Instant expiresAt) {
        ObjectNode body = daily.json().createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        body.put("privacy", "private");
        ObjectNode properties = body.putObject("properties");
        profile.properties().forEach((key, value) -> properties.set(key, daily.json().valueToTree(value)));
        if (overrides != null && !overrides.isNull()) {
            validate(overrides);
            properties.setAll((ObjectNode) overrides);
        }
        properties.put("exp", expiresAt.getEpochSecond());
        properties.put("eject_at_room_exp", true);
        DailyApi.Answer answer = daily.post(credential, "/rooms", body);
        if (!answer.ok()) {
            throw DailyApi.refused(answer);
        }
        return answer.body();
    }

    @Override
    public JsonNode get(DecryptedCredential credential, String name) {
        return existing(daily.get(credential, "/rooms/" + name)).body();
    }

    @Override
    public void delete(DecryptedCredential credential, String name) {
        existing(daily.delete(credential, "/rooms/" + name));
    }

    /** Daily's answer about a named room: its 404 is ours, any other refusal the provider's. */
    private static DailyApi.Answer existing(DailyApi.Answer answer) {
        if (answer.status() == 404) {
            throw LatchkeyException.notFound("Room");
        }
        if (!answer.ok()) {
            throw DailyApi.refused(answer);
        }
        return answer;
    }

    private static void validate(JsonNode overrides) {
        if (!overrides.isObject()) {
            throw LatchkeyException.invalidField("overrides", "must be an object");
        }
        for (Map.Entry<String, JsonNode> override : overrides.properties()) {
            String field = "overrides." + override.getKey();
            String kind = OVERRIDES.get(override.getKey());
            JsonNode value = override.getValue();
            boolean valid = kind != null && switch (kind) {
                case "integer" -> value.canConvertToInt() && value.isIntegralNumber() && value.asInt() >= 1
                        && value.asInt() <= 100_000;
                case "boolean" -> value.isBoolean();
                default -> value.isString() && RECORDING.contains(value.asString());
            };
            if (kind == null) {
                throw LatchkeyException.invalidField(field, "cannot be overridden; allowed: "
                        + OVERRIDES.keySet().stream().sorted().toList());
            }
            if (!valid) {
                throw LatchkeyException.invalidField(field, "must be " + (kind.equals("recording")
                        ? "one of " + RECORDING : "a" + (kind.equals("integer") ? " positive integer" : " boolean")));
            }
        }
    }
}

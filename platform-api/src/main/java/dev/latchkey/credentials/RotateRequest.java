package dev.latchkey.credentials;

import java.util.Map;

import jakarta.validation.constraints.NotNull;

/** A credential's new secret, for an organization's credential or the platform's; never printed. */
record RotateRequest(@NotNull Map<String, Object> secret) {
    @Override
    public String toString() {
        return "RotateRequest[secret=***]";
    }
}

package dev.latchkey.crypto;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;

@RestController
class KeyRotationController {

    private final EnvelopeEncryption encryption;
    private final AuditService audit;

    KeyRotationController(EnvelopeEncryption encryption, AuditService audit) {
        this.encryption = encryption;
        this.audit = audit;
    }

    /** Platform admins only; anyone else is told there is nothing here. */
    @PostMapping(path = "/v1/admin/keys/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
    EnvelopeEncryption.Rotation rotate() {
        Caller caller = Caller.currentPlatformAdmin();
        EnvelopeEncryption.Rotation rotation = encryption.rotateKeyEncryptionKey();
        audit.record(AuditEvent.success("crypto.master_key_rotated").by(caller).target("key_encryption_key",
                rotation.backend()).detail("version", rotation.version()).detail("rewrapped", rotation.rewrapped())
                .build());
        return rotation;
    }
}

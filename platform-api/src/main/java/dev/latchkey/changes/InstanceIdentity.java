package dev.latchkey.changes;

import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This running instance's identity, new at every start: what its leases and its rows of
 * per-writer counters are recorded under, so that instances never contend for one row.
 */
@Component
public class InstanceIdentity {

    private final String id = UUID.randomUUID().toString();

    public String id() {
        return id;
    }
}

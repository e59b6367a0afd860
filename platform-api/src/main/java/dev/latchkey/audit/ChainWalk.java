package dev.latchkey.audit;

import java.util.Objects;

/**
 * One walk along the hash chain, row by row in seq order, from an anchor: the genesis hash, or
 * the seal of the last row that retention pruned. A row is intact when it directly follows the
 * row before it (no seq is missing), links to that row's hash and hashes to its own stored hash.
 */
final class ChainWalk {

    static final String RETENTION_PRUNED = "audit.retention_pruned";

    private final long anchorSeq;
    private final String anchorHash;
    private String previousHash;
    private long expectedSeq;
    private long checked;
    private Long lastSeq;
    private boolean anchorAttested;

    ChainWalk(Anchor anchor) {
        this.anchorSeq = anchor.seq();
        this.anchorHash = anchor.hash();
        this.previousHash = anchor.hash();
        this.expectedSeq = anchor.seq() + 1;
    }

    /** Where a walk starts: seq 0 and the genesis hash, or the latest retention seal. */
    record Anchor(long seq, String hash) {
        static final Anchor GENESIS = new Anchor(0, AuditChain.GENESIS);
    }

    /** The chain head as stored: the seq and hash the next append links to. */
    record Head(long lastSeq, String lastHash) {
    }

    /** Checks the next row; returns the verdict when the row is broken, else null. */
    ChainVerification next(AuditChain.Row row, String storedPreviousHash, String storedHash) {
        checked++;
        if (row.seq() <= anchorSeq) {
            return broken(row, "the row is covered by the retention seal at seq " + anchorSeq
                    + " and should have been pruned");
        }
        if (row.seq() != expectedSeq) {
            return broken(row, expectedSeq == row.seq() - 1
                    ? "the row before it (seq " + expectedSeq + ") is missing"
                    : "the rows before it (seq " + expectedSeq + " to " + (row.seq() - 1) + ") are missing");
        }
        if (!storedPreviousHash.equals(previousHash)) {
            return broken(row, "prev_hash does not link to the row before it");
        }
        if (!AuditChain.hash(storedPreviousHash, row).equals(storedHash)) {
            return broken(row, "the row's content does not match its hash");
        }
        if (anchorSeq > 0 && RETENTION_PRUNED.equals(row.action())
                && Long.toString(anchorSeq).equals(row.details().get("through_seq"))
                && anchorHash.equals(row.details().get("anchor_hash"))) {
            anchorAttested = true;
        }
        previousHash = storedHash;
        lastSeq = row.seq();
        expectedSeq++;
        return null;
    }

    /**
     * The verdict on the whole chain: the last row must be the one the chain head records (rows
     * removed from the end break no link), and a retention seal must be attested by the
     * {@code audit.retention_pruned} event written when it was made.
     */
    ChainVerification finish(Head head) {
        return finish(head, true);
    }

    /**
     * The seal's attestation was written with the seal, in the same transaction, and waits to be
     * linked: not a broken chain, only a pending row (which the verdict reports).
     */
    void attestationPending() {
        anchorAttested = true;
    }

    /**
     * {@link #finish} for a walk that started from a row verified earlier rather than from the
     * chain's anchor: the seal's attestation lies before it and was checked then.
     */
    ChainVerification finishSegment(Head head) {
        return finish(head, false);
    }

    private ChainVerification finish(Head head, boolean checkAttestation) {
        long last = expectedSeq - 1;
        if (head.lastSeq() > last) {
            return ChainVerification.broken(checked, anchorSeq, lastSeq, last + 1, null,
                    "the chain head records seq " + head.lastSeq() + " but the log ends at seq " + last
                            + ": rows were removed from its end");
        }
        if (head.lastSeq() < last || !Objects.equals(head.lastHash(), previousHash)) {
            return ChainVerification.broken(checked, anchorSeq, lastSeq, last, null,
                    "the chain head (seq " + head.lastSeq() + ") does not match the last row");
        }
        if (checkAttestation && anchorSeq > 0 && !anchorAttested) {
            return ChainVerification.broken(checked, anchorSeq, lastSeq, anchorSeq, null,
                    "the retention seal at seq " + anchorSeq + " is not attested by an " + RETENTION_PRUNED
                            + " event");
        }
        return intact();
    }

    /** The verdict on a segment that is not the whole chain (no head, no attestation to check). */
    ChainVerification intact() {
        return ChainVerification.intact(checked, anchorSeq, lastSeq);
    }

    /** The position the walk has verified up to: where the next scheduled walk can start. */
    Anchor position() {
        return new Anchor(expectedSeq - 1, previousHash);
    }

    ChainVerification brokenAt(AuditChain.Row row, String reason) {
        return broken(row, reason);
    }

    private ChainVerification broken(AuditChain.Row row, String reason) {
        return ChainVerification.broken(checked, anchorSeq, lastSeq, row.seq(), row.id(), reason);
    }
}

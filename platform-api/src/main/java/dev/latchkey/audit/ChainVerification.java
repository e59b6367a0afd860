package dev.latchkey.audit;

import java.util.UUID;

/**
 * The result of walking the audit hash chain: how many rows were checked, where the walk
 * started ({@code anchorSeq}: 0 for the genesis hash, else the last row sealed and pruned by
 * retention), the last row checked and the first broken one, if any, with the reason; how many
 * signed checkpoints matched, the newest one, and the events still waiting to be linked
 * ({@code pendingRows}, the oldest of them {@code oldestPendingSeconds} old).
 */
public record ChainVerification(boolean intact, long rowsChecked, long anchorSeq, Long lastSeq, Long firstBrokenSeq,
        UUID firstBrokenId, String reason, long checkpointsChecked, Long lastCheckpointSeq, long pendingRows,
        Double oldestPendingSeconds) {

    static ChainVerification intact(long rowsChecked, long anchorSeq, Long lastSeq) {
        return new ChainVerification(true, rowsChecked, anchorSeq, lastSeq, null, null, null, 0, null, 0, null);
    }

    static ChainVerification broken(long rowsChecked, long anchorSeq, Long lastSeq, long seq, UUID id,
            String reason) {
        return new ChainVerification(false, rowsChecked, anchorSeq, lastSeq, seq, id, reason, 0, null, 0, null);
    }

    ChainVerification withCheckpoints(long checked, Long lastCheckpoint) {
        return new ChainVerification(intact, rowsChecked, anchorSeq, lastSeq, firstBrokenSeq, firstBrokenId, reason,
                checked, lastCheckpoint, pendingRows, oldestPendingSeconds);
    }

    ChainVerification withPending(long rows, Double oldestSeconds) {
        return new ChainVerification(intact, rowsChecked, anchorSeq, lastSeq, firstBrokenSeq, firstBrokenId, reason,
                checkpointsChecked, lastCheckpointSeq, rows, oldestSeconds);
    }
}

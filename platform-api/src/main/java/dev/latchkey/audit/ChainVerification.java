package dev.latchkey.audit;

import java.util.UUID;

/**
 * The result of walking the audit hash chain: how many rows were checked, where the walk
 * started ({@code anchorSeq}: 0 for the genesis hash, else the last row sealed and pruned by
 * retention), the last row checked and the first broken one, if any, with the reason.
 */
public record ChainVerification(boolean intact, long rowsChecked, long anchorSeq, Long lastSeq, Long firstBrokenSeq,
        UUID firstBrokenId, String reason) {

    static ChainVerification intact(long rowsChecked, long anchorSeq, Long lastSeq) {
        return new ChainVerification(true, rowsChecked, anchorSeq, lastSeq, null, null, null);
    }

    static ChainVerification broken(long rowsChecked, long anchorSeq, Long lastSeq, long seq, UUID id,
            String reason) {
        return new ChainVerification(false, rowsChecked, anchorSeq, lastSeq, seq, id, reason);
    }
}

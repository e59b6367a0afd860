package dev.latchkey.audit;

import java.util.UUID;

/** The result of walking the audit hash chain: how many rows were checked and the first broken one. */
public record ChainVerification(boolean intact, long rowsChecked, Long firstBrokenSeq, UUID firstBrokenId,
        String reason) {

    static ChainVerification intact(long rowsChecked) {
        return new ChainVerification(true, rowsChecked, null, null, null);
    }

    static ChainVerification broken(long rowsChecked, long seq, UUID id, String reason) {
        return new ChainVerification(false, rowsChecked, seq, id, reason);
    }
}

package dev.latchkey.support;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the reliability tests did and found, counted over the whole test run and printed as one
 * line at its end ({@link ReliabilitySummary}). The found-counts must stay zero: a run in which any
 * of them is not fails the build, even if the test that saw it forgot to assert.
 */
public final class Reliability {

    /** A count of the run: {@link #mustBeZero} ones are things that must never happen. */
    public enum Count {
        FAULTS_INJECTED("faults injected", false),
        FAULTS_SURVIVED("survived", false),
        INPUTS_TRIED("inputs tried", false),
        ROUTE_IDENTITY_CHECKS("routes x identities checked", false),
        SECRETS_SEARCHED("secret searches", false),
        SERVER_ERRORS("500s", true),
        LEAKS("leaks", true),
        LOST_LEDGER_ROWS("lost ledger rows", true),
        FAILURES("failures", true);

        private final String label;
        private final boolean mustBeZero;

        Count(String label, boolean mustBeZero) {
            this.label = label;
            this.mustBeZero = mustBeZero;
        }

        public boolean mustBeZero() {
            return mustBeZero;
        }
    }

    private static final Map<Count, AtomicLong> COUNTS = new EnumMap<>(Count.class);

    static {
        for (Count count : Count.values()) {
            COUNTS.put(count, new AtomicLong());
        }
    }

    private Reliability() {
    }

    public static void add(Count count, long amount) {
        COUNTS.get(count).addAndGet(amount);
    }

    public static long get(Count count) {
        return COUNTS.get(count).get();
    }

    /** A fault was injected; call {@link #faultSurvived()} once the platform came through it as designed. */
    public static void faultInjected() {
        add(Count.FAULTS_INJECTED, 1);
    }

    public static void faultSurvived() {
        add(Count.FAULTS_SURVIVED, 1);
    }

    public static void inputTried() {
        add(Count.INPUTS_TRIED, 1);
    }

    public static void routeIdentityChecked() {
        add(Count.ROUTE_IDENTITY_CHECKS, 1);
    }

    /** Ledger rows that should exist and do not (tokens handed out unbilled), or exist without a token. */
    public static void lostLedgerRows(long rows) {
        add(Count.LOST_LEDGER_ROWS, Math.max(0, rows));
    }

    /**
     * Searches {@code haystack} (a response, the log, a database dump...) for every secret, counts the
     * searches and the finds, and returns the secrets found, for the caller to assert empty.
     */
    public static List<String> leakedInto(String where, String haystack, List<String> secrets) {
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            add(Count.SECRETS_SEARCHED, 1);
            if (haystack != null && haystack.contains(secret)) {
                add(Count.LEAKS, 1);
                found.add(secret + " in " + where);
            }
        }
        return found;
    }

    /** Whether anything was counted at all. */
    public static boolean counted() {
        return COUNTS.values().stream().anyMatch(count -> count.get() != 0);
    }

    /** Whether any count that must stay zero is not. */
    public static boolean broken() {
        return COUNTS.entrySet().stream().anyMatch(e -> e.getKey().mustBeZero() && e.getValue().get() != 0);
    }

    /** The one line: {@code RELIABILITY: faults injected 12, survived 12, ..., failures 0 -> OK}. */
    public static String summary() {
        String counts = COUNTS.entrySet().stream().map(e -> e.getKey().label + " " + e.getValue().get())
                .collect(Collectors.joining(", "));
        return "RELIABILITY: " + counts + (broken() ? " -> BROKEN" : " -> OK");
    }
}

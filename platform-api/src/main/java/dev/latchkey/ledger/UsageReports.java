package dev.latchkey.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.CsvWriter;
import dev.latchkey.kernel.Cursor;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.quota.BillingPeriod;
import dev.latchkey.web.RequestMetadata;

/**
 * Reads of the ledger: usage aggregates, the ledger itself (pages and CSV export), the invoice
 * preview and usage alerts, for an organization; platform-wide usage for platform admins; and
 * reversing entries, the only correction the ledger allows. Every figure is summed by the
 * database from the ledger rows, so they agree to the micro-unit.
 */
@Service
class UsageReports {

    static final Duration MAX_RANGE = Duration.ofDays(366);

    /** group_by values and the SQL they group by; {@code org} for platform admins only. */
    private static final Map<String, String> GROUPS = Map.of(
            "day", "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "provider", "provider",
            "operation", "operation",
            "credential_source", "credential_source",
            "api_key", "CAST(api_key_id AS text)",
            "end_user", "end_user",
            "org", "CAST(org_id AS text)",
            "credential", "CAST(credential_id AS text)");
    /** Groups only platform admins may use: another organization, the platform's own credentials. */
    private static final Set<String> ADMIN_GROUPS = Set.of("org", "credential");

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final LedgerEntries entries;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final Clock clock;

    UsageReports(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions,
            LedgerEntries entries, OrgAccess orgAccess, AuditService audit, Clock clock) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(500);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.entries = entries;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.clock = clock;
    }

    record Range(Instant from, Instant to) {
    }

    @Transactional(readOnly = true)
    public UsageViews.Usage usage(Caller caller, UUID orgId, String from, String to, String groupBy) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        if (groupBy != null && ADMIN_GROUPS.contains(groupBy)) {
            throw unknownGroup();
        }
        return aggregate(orgId, range(from, to), groupBy);
    }

    /** Every organization's usage; the read is audited. */
    @Transactional
    public UsageViews.Usage platformUsage(Caller.User admin, String from, String to, String groupBy) {
        UsageViews.Usage usage = aggregate(null, range(from, to), groupBy == null ? "org" : groupBy);
        audit.record(AuditEvent.success("admin.usage_read").by(admin).target("usage", "platform")
                .detail("from", usage.from()).detail("to", usage.to()).detail("group_by", usage.groupBy()).build());
        return usage;
    }

    /** Ledger entries, newest first; {@code from}/{@code to} and the credential source optional. */
    @Transactional(readOnly = true)
    public Page<LedgerEntryView> ledger(Caller caller, UUID orgId, String from, String to, String source, String cursor,
            int limit) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        Range range = openRange(from, to);
        String sourceFilter = sourceFilter(source);
        int size = Page.limit(limit);
        long before = cursor == null || cursor.isBlank() ? Long.MAX_VALUE : Cursor.seq(cursor);
        JdbcClient.StatementSpec query = jdbc.sql("SELECT seq, " + LedgerEntries.COLUMNS
                + " FROM usage_ledger WHERE org_id = :orgId AND seq < :before AND occurred_at >= :from"
                + " AND occurred_at < :to" + (sourceFilter == null ? "" : " AND credential_source = :source")
                + " ORDER BY seq DESC LIMIT :limit");
        if (sourceFilter != null) {
            query = query.param("source", sourceFilter);
        }
        List<LedgerRow> rows = query.param("orgId", orgId).param("before", before)
                .param("from", Timestamp.from(range.from())).param("to", Timestamp.from(range.to()))
                .param("limit", size + 1)
                .query((rs, n) -> new LedgerRow(rs.getLong("seq"), LedgerEntries.view(rs)))
                .list();
        return Page.slice(rows, size, row -> Cursor.ofSeq(row.seq())).map(LedgerRow::entry);
    }

    private record LedgerRow(long seq, LedgerEntryView entry) {
    }

    /**
     * Streams the entries as CSV, oldest first, straight from a database cursor. {@code opener}
     * is called once the checks passed.
     */
    public void exportCsv(Caller caller, UUID orgId, String from, String to, String source, Supplier<CsvWriter> opener) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        Range range = openRange(from, to);
        String sourceFilter = sourceFilter(source);
        List<Object> arguments = new ArrayList<>(List.of(orgId, Timestamp.from(range.from()), Timestamp.from(range.to())));
        if (sourceFilter != null) {
            arguments.add(sourceFilter);
        }
        CsvWriter csv = opener.get();
        readOnly.executeWithoutResult(status -> {
            csv.row(LedgerCsv.COLUMNS);
            streaming.query("SELECT " + LedgerEntries.COLUMNS + " FROM usage_ledger WHERE org_id = ?"
                    + " AND occurred_at >= ? AND occurred_at < ?"
                    + (sourceFilter == null ? "" : " AND credential_source = ?") + " ORDER BY seq",
                    (RowCallbackHandler) rs -> csv.row(LedgerCsv.record(LedgerEntries.view(rs))), arguments.toArray());
        });
    }

    @Transactional(readOnly = true)
    public UsageViews.InvoicePreview invoicePreview(Caller caller, UUID orgId, String period) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        BillingPeriod billingPeriod = period == null || period.isBlank() ? BillingPeriod.containing(clock.instant())
                : BillingPeriod.parse(period, "period");
        List<UsageViews.Line> lines = jdbc.sql("""
                SELECT provider, operation, credential_source, unit_price_micros, currency,
                       sum(quantity) AS quantity, sum(amount_micros) AS amount_micros
                FROM usage_ledger WHERE org_id = :orgId AND occurred_at >= :from AND occurred_at < :to
                GROUP BY provider, operation, credential_source, unit_price_micros, currency
                ORDER BY provider, operation, credential_source, unit_price_micros, currency""")
                .param("orgId", orgId).param("from", Timestamp.from(billingPeriod.start()))
                .param("to", Timestamp.from(billingPeriod.end()))
                .query((rs, n) -> new UsageViews.Line(rs.getString("provider"), rs.getString("operation"),
                        rs.getString("credential_source"), rs.getLong("unit_price_micros"), rs.getString("currency"),
                        rs.getLong("quantity"), rs.getLong("amount_micros")))
                .list();
        Map<String, Long> totals = new LinkedHashMap<>();
        lines.forEach(line -> totals.merge(line.currency(), line.amountMicros(), Math::addExact));
        Map<List<String>, long[]> bySource = new TreeMap<>(Comparator
                .comparing((List<String> key) -> key.get(0)).thenComparing(key -> key.get(1)));
        for (UsageViews.Line line : lines) {
            long[] sums = bySource.computeIfAbsent(List.of(line.credentialSource(), line.currency()), k -> new long[2]);
            sums[0] = Math.addExact(sums[0], line.quantity());
            sums[1] = Math.addExact(sums[1], line.amountMicros());
        }
        return new UsageViews.InvoicePreview(orgId, billingPeriod.toString(), billingPeriod.start(),
                billingPeriod.end(), !clock.instant().isBefore(billingPeriod.end()), lines,
                bySource.entrySet().stream().map(e -> new UsageViews.SourceTotal(e.getKey().get(0), e.getKey().get(1),
                        e.getValue()[0], e.getValue()[1])).toList(),
                totals.entrySet().stream().map(e -> new UsageViews.Total(e.getKey(), e.getValue())).toList());
    }

    @Transactional(readOnly = true)
    public Page<UsageViews.Alert> alerts(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        return Page.of(jdbc.sql("SELECT * FROM usage_alerts WHERE org_id = :orgId ORDER BY occurred_at DESC, id"
                + " LIMIT 200")
                .param("orgId", orgId)
                .query((rs, n) -> new UsageViews.Alert(rs.getObject("id", UUID.class), rs.getString("period"),
                        rs.getInt("threshold_percent"), rs.getLong("used"), rs.getLong("allowance"),
                        rs.getTimestamp("occurred_at").toInstant()))
                .list());
    }

    /** A platform admin's correction: a reversing entry for a charge. */
    @Transactional
    public LedgerEntryView reverse(Caller.User admin, UUID orgId, UUID entryId, String reason) {
        LedgerEntryView reversal = entries.appendReversal(orgId, entryId, reason,
                RequestMetadata.current().requestId(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        audit.record(AuditEvent.success("ledger.entry_reversed").by(admin).org(orgId).target("ledger_entry", entryId)
                .detail("reversal", reversal.id()).detail("amount_micros", reversal.amountMicros())
                .detail("currency", reversal.currency()).build());
        return reversal;
    }

    private UsageViews.Usage aggregate(UUID orgId, Range range, String groupBy) {
        String group = groupBy == null ? "day" : groupBy;
        String expression = GROUPS.get(group);
        if (expression == null) {
            throw unknownGroup();
        }
        String where = " FROM usage_ledger WHERE occurred_at >= :from AND occurred_at < :to"
                + (orgId == null ? "" : " AND org_id = :orgId");
        String sums = "sum(CASE WHEN kind = 'charge' THEN 1 ELSE -1 END) AS events, sum(quantity) AS quantity,"
                + " sum(amount_micros) AS amount_micros";
        List<UsageViews.Row> items = params(jdbc.sql("SELECT " + expression + " AS key, currency, " + sums + where
                + " GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2"), orgId, range)
                .query((rs, n) -> row(rs, rs.getString("key"))).list();
        List<UsageViews.Row> totals = params(jdbc.sql("SELECT currency, " + sums + where
                + " GROUP BY currency ORDER BY currency"), orgId, range)
                .query((rs, n) -> row(rs, null)).list();
        return new UsageViews.Usage(range.from(), range.to(), group, items, totals);
    }

    private static JdbcClient.StatementSpec params(JdbcClient.StatementSpec spec, UUID orgId, Range range) {
        spec = spec.param("from", Timestamp.from(range.from())).param("to", Timestamp.from(range.to()));
        return orgId == null ? spec : spec.param("orgId", orgId);
    }

    private static UsageViews.Row row(ResultSet rs, String key) throws SQLException {
        return new UsageViews.Row(key, rs.getString("currency"), rs.getLong("events"), rs.getLong("quantity"),
                rs.getLong("amount_micros"));
    }

    /** The {@code credential_source} filter of the ledger: null for none. */
    private static String sourceFilter(String source) {
        if (source == null || source.isBlank()) {
            return null;
        }
        return CredentialSource.parse(source.trim()).map(CredentialSource::value).orElseThrow(() ->
                LatchkeyException.invalidField("credential_source", "must be one of own, managed, byok"));
    }

    /** Defaults to the current billing period; at most {@link #MAX_RANGE}. */
    private Range range(String from, String to) {
        BillingPeriod current = BillingPeriod.containing(clock.instant());
        Instant start = from == null || from.isBlank() ? current.start() : instant(from, "from");
        Instant end = to == null || to.isBlank() ? current.end() : instant(to, "to");
        check(start, end);
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw LatchkeyException.invalidField("to", "must be at most " + MAX_RANGE.toDays() + " days after from");
        }
        return new Range(start, end);
    }

    /** Unbounded unless given. */
    private static Range openRange(String from, String to) {
        Instant start = from == null || from.isBlank() ? Instant.EPOCH : instant(from, "from");
        Instant end = to == null || to.isBlank() ? Instant.parse("9999-01-01T00:00:00Z") : instant(to, "to");
        check(start, end);
        return new Range(start, end);
    }

    private static void check(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw LatchkeyException.invalidField("to", "must be after from");
        }
    }

    /** An RFC 3339 timestamp, or a date (YYYY-MM-DD) meaning its start in UTC. */
    static Instant instant(String value, String field) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw LatchkeyException.invalidField(field, "must be an RFC 3339 timestamp or a date YYYY-MM-DD");
        }
    }

    private static LatchkeyException unknownGroup() {
        return LatchkeyException.invalidField("group_by",
                "must be one of day, provider, operation, credential_source, api_key, end_user");
    }
}

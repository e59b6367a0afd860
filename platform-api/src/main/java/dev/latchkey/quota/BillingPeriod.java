package dev.latchkey.quota;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import dev.latchkey.kernel.LatchkeyException;

/** A calendar month in UTC: the period of monthly allowances and invoices, written {@code YYYY-MM}. */
public record BillingPeriod(YearMonth month) {

    public static BillingPeriod containing(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atZone(ZoneOffset.UTC)));
    }

    /** Parses {@code YYYY-MM}; a 400 naming {@code field} otherwise. */
    public static BillingPeriod parse(String value, String field) {
        try {
            if (value != null && value.matches("[0-9]{4}-[0-9]{2}")) {
                return new BillingPeriod(YearMonth.parse(value));
            }
        } catch (DateTimeParseException invalid) {
            // reported below
        }
        throw LatchkeyException.invalidField(field, "must be a month written YYYY-MM");
    }

    /** The first instant of the period. */
    public Instant start() {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The first instant after the period. */
    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return month.toString();
    }
}

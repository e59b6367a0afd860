package dev.latchkey.kernel;

import java.util.List;
import java.util.function.Function;

/**
 * Every list response: {@code {"items": [...], "next_cursor": "..." | null}}, and the one way a
 * list is paged. A list reads {@code limit + 1} rows in keyset order (never an offset) and hands
 * them to {@link #slice}: the extra row only says that there is a next page.
 *
 * <p>The one limit rule: {@code limit} is 1 to {@value #MAX_LIMIT} on every list, anything else is
 * a 400 naming {@code limit} (never a silent clamp).
 */
public record Page<T>(List<T> items, String nextCursor) {

    /** The largest page of any list. */
    public static final int MAX_LIMIT = 200;

    public static <T> Page<T> of(List<T> items) {
        return new Page<>(items, null);
    }

    /** The requested page size, checked against the one limit rule. */
    public static int limit(int requested) {
        if (requested < 1 || requested > MAX_LIMIT) {
            throw invalidLimit();
        }
        return requested;
    }

    /** {@link #limit(int)} for a list that takes {@code limit} as text: blank is {@code otherwise}. */
    public static int limit(String requested, int otherwise) {
        if (requested == null || requested.isBlank()) {
            return otherwise;
        }
        try {
            return limit(Integer.parseInt(requested.trim()));
        } catch (NumberFormatException e) {
            throw invalidLimit();
        }
    }

    /**
     * The page of {@code rows} (read with {@code limit + 1}) and, when there is a next one, the
     * cursor of its last item.
     */
    public static <T> Page<T> slice(List<T> rows, int limit, Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)));
    }

    /** The same page with each item mapped; the cursor stays. */
    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), nextCursor);
    }

    private static LatchkeyException invalidLimit() {
        return LatchkeyException.invalidField("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }
}

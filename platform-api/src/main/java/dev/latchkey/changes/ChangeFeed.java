package dev.latchkey.changes;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What changed in the database, as every instance needs to know it for its caches. Triggers on
 * the cached tables (migration V10) send {@code NOTIFY latchkey_changes '<kind>:<id>'}, which
 * PostgreSQL delivers only once the change commits; one platform thread per instance LISTENs on
 * a connection of its own and hands each change to the subscribers of its kind. When that
 * connection breaks, changes may have been missed, so every subscriber is told that everything
 * changed ({@link Change#EVERYTHING}) once it is back; caches keep a sub-second TTL besides.
 */
@Component
public class ChangeFeed implements SmartLifecycle {

    static final String CHANNEL = "latchkey_changes";
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final Duration POLL = Duration.ofMillis(250);

    /** One change: {@code kind} (api_key, org, credential, policy, prices, data_key) and the id, or {@code *} for all. */
    public record Change(String kind, String id) {
        public static final String ALL = "*";
        public static final Change EVERYTHING = new Change(ALL, ALL);

        public boolean everything() {
            return ALL.equals(id);
        }

        static Change parse(String payload) {
            int colon = payload.indexOf(':');
            return colon < 0 ? new Change(payload, ALL) : new Change(payload.substring(0, colon),
                    payload.substring(colon + 1));
        }
    }

    /** What a cache does with a change it subscribed to. */
    @FunctionalInterface
    public interface Subscriber {
        void changed(Change change);
    }

    private record Subscription(String kind, Subscriber subscriber) {
    }

    private final DedicatedConnections connections;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile Thread listener;

    public ChangeFeed(DedicatedConnections connections) {
        this.connections = connections;
    }

    /** Calls {@code subscriber} for every change of {@code kind}, and for {@link Change#EVERYTHING}. */
    public void subscribe(String kind, Subscriber subscriber) {
        subscriptions.add(new Subscription(kind, subscriber));
    }

    /**
     * Tells this instance's subscribers of the change once the current transaction commits (at
     * once without one): the writer's own instance then evicts without waiting for the
     * notification's round trip, which every other instance gets from the database.
     */
    public void publishLocallyAfterCommit(String kind, String id) {
        Change change = new Change(kind, id);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            dispatch(change);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                dispatch(change);
            }
        });
    }

    void dispatch(Change change) {
        for (Subscription subscription : subscriptions) {
            if (change.kind().equals(subscription.kind()) || change.kind().equals(Change.ALL)) {
                try {
                    subscription.subscriber().changed(change);
                } catch (RuntimeException e) {
                    log.warn("A cache failed to take change {}: {}", change, e.toString());
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::listen, "change-feed");
        thread.setDaemon(true);
        listener = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        long backoffMillis = 100;
        boolean missedSome = false;
        while (running) {
            try (Connection connection = connections.open("latchkey change feed"); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                if (missedSome) {
                    log.info("Listening for changes again; every cache starts afresh");
                    dispatch(Change.EVERYTHING);
                }
                backoffMillis = 100;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                for (long polls = 1; running; polls++) {
                    if (polls % 40 == 0) {
                        // A silently dropped connection delivers nothing and says nothing: ask it something.
                        statement.setQueryTimeout(2);
                        statement.execute("SELECT 1");
                    }
                    PGNotification[] received = notifications.getNotifications((int) POLL.toMillis());
                    if (received != null) {
                        for (PGNotification notification : received) {
                            dispatch(Change.parse(notification.getParameter()));
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (!missedSome) {
                    log.warn("Lost the change feed's connection ({}); caches fall back to their TTL until it is back",
                            e.getMessage());
                }
                missedSome = true;
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }
}

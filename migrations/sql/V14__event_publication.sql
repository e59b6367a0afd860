-- Spring Modulith's event publication registry (schema v2 of spring-modulith-events-jdbc 2.1,
-- whose own schema initialization is off: migrations are the only schema source). An event one
-- module publishes to another's @ApplicationModuleListener is written here in the publisher's
-- transaction and deleted once the listener completed (completion-mode: delete); what is left is
-- resubmitted on restart. Ordinary DML for the application role comes from V9's default privileges.
CREATE TABLE event_publication (
    id                     uuid        NOT NULL PRIMARY KEY,
    listener_id            text        NOT NULL,
    event_type             text        NOT NULL,
    serialized_event       text        NOT NULL,
    publication_date       timestamptz NOT NULL,
    completion_date        timestamptz,
    status                 text,
    completion_attempts    integer,
    last_resubmission_date timestamptz
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);

-- Latchkey's database roles, created once, when the PostgreSQL volume is new: docker-compose runs
-- this as the superuser (10-latchkey-roles.sh, with psql variables). The schema owner owns the
-- database and runs the migrations; the application's role logs in with its own password and gets
-- its rights from the migrations (V9): ordinary DML, but only SELECT and INSERT on the usage
-- ledger and the audit log.
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"database" OWNER :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"app";

#!/usr/bin/env bash
# Latchkey's throughput and latency benchmarks, on this machine, against the local PostgreSQL
# and Redis (127.0.0.1 only). Bounded: each load runs DURATION seconds, then everything stops.
#   bench/run.sh            # both benchmarks
# Needs: wrk, node/npm, a built jar (./mvnw -DskipTests package), JAVA_HOME of the JVM to test.
# Latchkey runs with the JVM options of the Docker image (the Dockerfile's JAVA_TOOL_OPTIONS).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
DURATION="${DURATION:-20}"
PORT=18080
JAR=$(ls platform-api/target/latchkey-platform-api-*.jar | grep -v plain | head -n 1)
RUN=bench_$(date +%Y%m%d%H%M%S)
WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS latchkey_$RUN WITH (FORCE)" postgres >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd bench/node-baseline && npm ci --no-audit --no-fund --silent >/dev/null 2>&1)
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE latchkey_$RUN" postgres

echo "== starting Latchkey ($("$JAVA" -version 2>&1 | head -n 1))"
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/latchkey_$RUN" SPRING_DATASOURCE_USERNAME=postgres \
SPRING_DATA_REDIS_HOST=127.0.0.1 LATCHKEY_REDIS_KEY_PREFIX="$RUN:" LATCHKEY_HOME="$WORK/home" \
LATCHKEY_BOOTSTRAP_ADMIN_EMAIL=bench-admin@example.com LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD=bench-admin-password \
LATCHKEY_PROVIDERS_OPENAI_BASE_URL=http://127.0.0.1:3998 SERVER_PORT=$PORT LOGGING_LEVEL_ROOT=WARN \
JAVA_TOOL_OPTIONS="$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)" MALLOC_ARENA_MAX=2 \
  "$JAVA" -jar "$JAR" > "$WORK/latchkey.log" 2>&1 &
LATCHKEY_PID=$!; pids+=("$LATCHKEY_PID")
PORT=3998 DELAY_MS=20 node bench/fake-openai.mjs > "$WORK/fake.log" 2>&1 & pids+=($!)
PORT=3999 node bench/node-baseline/server.mjs > "$WORK/node.log" 2>&1 & pids+=($!)
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done

api() { # method path [body] — as the signed-in console user, with the CSRF token
  local token; token=$(curl -s -b "$WORK/jar" -c "$WORK/jar" "localhost:$PORT/v1/auth/csrf" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -s -b "$WORK/jar" -c "$WORK/jar" -X "$1" -H "X-XSRF-TOKEN: $token" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "localhost:$PORT$2"
}
field() { sed "s/.*\"$1\":\"\([^\"]*\)\".*/\1/"; }
ORG=$(api POST /v1/auth/signup '{"email":"bench@example.com","password":"bench password 123","name":"Bench","organization_name":"Bench"}' | sed 's/.*"organization":{"id":"\([^"]*\)".*/\1/')
api POST "/v1/orgs/$ORG/credentials" '{"provider":"livekit","label":"bench","secret":{"api_secret":"bench-secret-0123456789abcdefghijklmnop"},"config":{"api_key":"APIbench","url":"wss://bench.livekit.cloud"}}' >/dev/null
api POST "/v1/orgs/$ORG/credentials" '{"provider":"openai","label":"bench","secret":{"api_key":"bench-openai-key-not-a-real-one"}}' >/dev/null
KEY=$(api POST "/v1/orgs/$ORG/api-keys" '{"name":"bench","scopes":["tokens:mint"]}' | field key)
# Lift the organization's quota so the benchmark measures the platform, not its limits.
rm -f "$WORK/jar"
api POST /v1/auth/login '{"email":"bench-admin@example.com","password":"bench-admin-password"}' >/dev/null
api PUT "/v1/admin/orgs/$ORG/quota" '{"rate":{"limit":1000000,"window_seconds":1},"monthly":{"allowance":1000000000}}' | grep -q "\"allowance\":1000000000" || { echo "could not lift the quota"; exit 1; }

load() { # name url token body connections
  echo "== $1 ($5 connections, ${DURATION}s)"
  TOKEN="$3" BODY="$4" wrk -t2 -c"$5" -d"${DURATION}s" --latency -s bench/post.lua "$2" \
    | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors"
}
LIVEKIT='{"provider":"livekit","room":"bench","identity":"user-1"}'
load "warm-up" "http://127.0.0.1:$PORT/v1/tokens" "$KEY" "$LIVEKIT" 64 >/dev/null
load "Latchkey LiveKit mint (auth + quota + ledger + audit)" "http://127.0.0.1:$PORT/v1/tokens" "$KEY" "$LIVEKIT" 64
load "bare Node token server (express + livekit-server-sdk)" "http://127.0.0.1:3999/token" "" '{"room":"bench","identity":"user-1"}' 64
echo "== Latchkey resident memory after the LiveKit load: $(grep VmRSS /proc/$LATCHKEY_PID/status | awk '{print int($2/1024)}') MB"
OPENAI='{"provider":"openai"}'
load "fake OpenAI directly (20 ms fixed delay)" "http://127.0.0.1:3998/v1/realtime/client_secrets" "" '{}' 256
load "OpenAI mint through Latchkey (same fake upstream)" "http://127.0.0.1:$PORT/v1/tokens" "$KEY" "$OPENAI" 256
echo "== Latchkey resident memory after the upstream load: $(grep VmRSS /proc/$LATCHKEY_PID/status | awk '{print int($2/1024)}') MB"

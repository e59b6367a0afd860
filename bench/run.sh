#!/usr/bin/env bash
# Latchkey's benchmarks (DESIGN.md "Performance targets"), on this machine, against the local
# PostgreSQL and Redis (127.0.0.1 only). Starts everything it needs, stops everything it started,
# and prints one table. Bounded: each load runs DURATION seconds.
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 DURATION=20 WARMUP=60 bench/run.sh
# LOADS picks what runs (default "livekit openai jmh"); JFR=<file> records a Java Flight Recording
# (settings=profile) of Latchkey for the whole run, to read with `jfr print` or JDK Mission Control;
# JVM_OPTIONS replaces the Dockerfile's JVM options (to try others); BUILD=0 measures the jar as built;
# JAR=<file> measures that jar instead (an earlier build, to compare two commits back to back).
# WARMUP seconds of load come first: C2 goes on compiling the request path for about 45 s on
# two cores, and a shorter warm-up measures the compiler, not the platform.
# Needs: wrk and hey (Debian packages), node/npm. It builds the jar it measures and the JMH
# benchmark first (./mvnw package, tests skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-60}"
LOADS=" ${LOADS:-livekit openai jmh} "
PORT=18080
RUN=bench_$(date +%Y%m%d%H%M%S)
DB="latchkey_$RUN"
WORK=$(mktemp -d)
if [ -n "${JAR:-}" ] && [[ "$LOADS" != *" jmh "* ]]; then
  echo "== not building: measuring $JAR"
elif [ "${BUILD:-1}" = 0 ] && [[ "$LOADS" != *" jmh "* ]]; then
  echo "== not building (BUILD=0): measuring the jar in platform-api/target as it is"
else
  echo "== building (./mvnw package, tests skipped)"
  ./mvnw -q -B -ntp -pl platform-api -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
fi
[ -n "${JAR:-}" ] || JAR=$(ls platform-api/target/latchkey-platform-api-*.jar | grep -v -e plain -e original | head -n 1)
# The JVM options the Docker image ships (one source of truth: the Dockerfile) unless JVM_OPTIONS says otherwise.
if [ -z "${JVM_OPTIONS:-}" ]; then
  JVM_OPTIONS=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile | head -n 1)
  [ -n "$JVM_OPTIONS" ] || { echo "the Dockerfile sets no JAVA_TOOL_OPTIONS"; exit 1; }
fi
[ -n "${JFR:-}" ] && JVM_OPTIONS="$JVM_OPTIONS -XX:StartFlightRecording=filename=$(realpath -m "$JFR"),settings=profile,dumponexit=true"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd bench/node-baseline && npm ci --no-audit --no-fund --silent >/dev/null 2>&1)
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $DB" postgres

echo "== Latchkey on $("$JAVA" -version 2>&1 | head -n 1), JVM options: $JVM_OPTIONS"
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$DB" SPRING_DATASOURCE_USERNAME=postgres \
SPRING_DATA_REDIS_HOST=127.0.0.1 LATCHKEY_REDIS_KEY_PREFIX="$RUN:" LATCHKEY_HOME="$WORK/home" \
LATCHKEY_BOOTSTRAP_ADMIN_EMAIL=bench-admin@example.com LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD=bench-admin-password \
LATCHKEY_PROVIDERS_OPENAI_BASE_URL=http://127.0.0.1:3998 SERVER_PORT=$PORT LOGGING_LEVEL_ROOT=WARN \
JAVA_TOOL_OPTIONS="$JVM_OPTIONS" MALLOC_ARENA_MAX=2 "$JAVA" -jar "$JAR" > "$WORK/latchkey.log" 2>&1 &
LATCHKEY_PID=$!; pids+=("$LATCHKEY_PID")
PORT=3998 DELAY_MS=20 node bench/fake-openai.mjs > "$WORK/fake.log" 2>&1 & FAKE_PID=$!; pids+=($!)
PORT=3999 node bench/node-baseline/server.mjs > "$WORK/node.log" 2>&1 & NODE_PID=$!; pids+=($!)
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done
curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null || { echo "Latchkey did not start:"; tail -30 "$WORK/latchkey.log"; exit 1; }

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

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s | %s | %s |' "$@")"); }
wrk_load() { # name url token body connections [seconds] → requests/s p50 p99 non-2xx
  TOKEN="$3" BODY="$4" wrk -t2 -c"$5" -d"${6:-$DURATION}s" --latency -s bench/post.lua "$2" > "$WORK/wrk.txt"
  local rps p50 p99 bad total
  rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
  bad=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt"); bad=${bad:-0}
  total=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
  echo "$rps $p50 $p99 $bad $total"
}
hey_load() { # url token body [seconds] → p50_ms p99_ms 200s others
  local auth=(); [ -n "$2" ] && auth=(-H "Authorization: Bearer $2")
  hey -z "${4:-$DURATION}s" -c 256 -q 4 -m POST -T application/json "${auth[@]}" -d "$3" "$1" > "$WORK/hey.txt"
  local p50 p99 ok all
  p50=$(awk '/ 50%/ {print $3*1000}' "$WORK/hey.txt"); p99=$(awk '/ 99%/ {print $3*1000}' "$WORK/hey.txt")
  ok=$(awk '/\[200\]/ {print $2}' "$WORK/hey.txt"); ok=${ok:-0}
  all=$(awk '/\[[0-9]+\]/ {n+=$2} END {print n+0}' "$WORK/hey.txt")
  echo "$p50 $p99 $ok $((all - ok))"
}

# CPU seconds used so far by Latchkey, the fake upstream and PostgreSQL (all its processes), to see
# how the two cores were shared during a load.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU time per request (clock ticks of 10 ms, user + system): steadier than throughput on a shared
# machine, and the figure to compare when a change is meant to make a request cheaper.
per_request() { awk -v t="$1" -v n="$2" 'BEGIN {printf "%.3f ms CPU/request", n ? t * 10 / n : 0}'; }
cpu_now() {
  local pg=0 pid
  for pid in $(pgrep -u postgres postgres); do pg=$((pg + $(ticks "$pid"))); done
  echo "$(ticks "$LATCHKEY_PID") $(ticks "$FAKE_PID") $pg"
}
cpu_share() { # before after seconds → "Latchkey x%, fake y%, PostgreSQL z% of one core"
  read -r l0 f0 p0 <<< "$1"; read -r l1 f1 p1 <<< "$2"
  awk -v l=$((l1 - l0)) -v f=$((f1 - f0)) -v p=$((p1 - p0)) -v s="$3" \
    'BEGIN {printf "CPU (%% of one core): Latchkey %d, fake upstream %d, PostgreSQL %d", l / s, f / s, p / s}'
}

LIVEKIT='{"provider":"livekit","room":"bench","identity":"user-1"}'
if [[ "$LOADS" == *" livekit "* ]]; then
echo "== warm-up (${WARMUP}s)"
wrk_load warm "http://127.0.0.1:$PORT/v1/tokens" "$KEY" "$LIVEKIT" 64 "$WARMUP" >/dev/null
echo "== LiveKit minting, 64 connections"
L_CPU0=$(ticks "$LATCHKEY_PID")
read -r L_RPS L_P50 L_P99 L_BAD L_TOTAL <<< "$(wrk_load latchkey "http://127.0.0.1:$PORT/v1/tokens" "$KEY" "$LIVEKIT" 64)"
L_CPU=$(( $(ticks "$LATCHKEY_PID") - L_CPU0 ))
wrk_load warm "http://127.0.0.1:3999/token" "" '{"room":"bench","identity":"user-1"}' 64 10 >/dev/null
N_CPU0=$(ticks "$NODE_PID")
read -r N_RPS N_P50 N_P99 _ N_TOTAL <<< "$(wrk_load node "http://127.0.0.1:3999/token" "" '{"room":"bench","identity":"user-1"}' 64)"
N_CPU=$(( $(ticks "$NODE_PID") - N_CPU0 ))
echo "LiveKit: Latchkey $(per_request "$L_CPU" "$L_TOTAL"), Node $(per_request "$N_CPU" "$N_TOTAL")"
metrics() { curl -s "localhost:$PORT/actuator/prometheus" | grep -E "^($1)" | grep -v '_bucket' || true; }
metrics 'latchkey_commit_batch_size_(count|sum|max)|latchkey_commit_latency_seconds_(count|sum|max)|hikaricp_connections_(pending|active)|hikaricp_connections_acquire_seconds_(sum|count|max)|jvm_gc_pause_seconds_(sum|count)' > "$WORK/metrics-livekit.txt"
RATIO=$(awk -v a="$L_RPS" -v b="$N_RPS" 'BEGIN {printf "%.2f", a / b}')
row "LiveKit mint via Latchkey (auth + quota + ledger + audit), wrk 64 conn" "$L_RPS req/s" "$L_P50" "$L_P99" "non-2xx $L_BAD" "ratio ≥ 1.0 → **$RATIO**; p99 < 25 ms"
row "bare Node token server (express + livekit-server-sdk), wrk 64 conn" "$N_RPS req/s" "$N_P50" "$N_P99" "" ""
fi

if [[ "$LOADS" == *" openai "* ]]; then
echo "== OpenAI-shape brokering at 1,024 req/s offered over 256 connections"
hey_load "http://127.0.0.1:3998/v1/realtime/client_secrets" "" '{}' > /dev/null  # warms the fake and the JIT path
read -r F_P50 F_P99 F_OK F_OTHER <<< "$(hey_load "http://127.0.0.1:3998/v1/realtime/client_secrets" "" '{}')"
hey_load "http://127.0.0.1:$PORT/openai/v1/realtime/client_secrets" "$KEY" '{}' "$WARMUP" > /dev/null
CPU_BEFORE=$(cpu_now)
read -r O_P50 O_P99 O_OK O_OTHER <<< "$(hey_load "http://127.0.0.1:$PORT/openai/v1/realtime/client_secrets" "$KEY" '{}')"
CPU_AFTER=$(cpu_now)
CPU_OPENAI="$(cpu_share "$CPU_BEFORE" "$CPU_AFTER" "$DURATION"); Latchkey $(per_request "$(( ${CPU_AFTER%% *} - ${CPU_BEFORE%% *} ))" "$(( O_OK + O_OTHER ))")"
curl -s "localhost:$PORT/actuator/prometheus" | grep -E '^(http_server_requests_seconds_(count|sum|max)\{.*client_secrets|latchkey_upstream_latency_seconds_(count|sum|max)|latchkey_commit_latency_seconds_(count|sum|max)|jvm_gc_pause_seconds_(count|sum))' > "$WORK/metrics-openai.txt" || true
# hey -q paces each connection on its own ticker, all started together: the 256 connections send
# their requests within about 20 ms of each other, every 250 ms. The median request of such a burst
# waits for half the burst to be served. One request at a time shows what a call adds with no queue.
single() { hey -z 10s -c 1 -q 20 -m POST -T application/json ${2:+-H "Authorization: Bearer $2"} -d '{}' "$1" \
  | awk '/ 50%/ {print $3*1000}'; }
S_F=$(single "http://127.0.0.1:3998/v1/realtime/client_secrets" "")
S_O=$(single "http://127.0.0.1:$PORT/openai/v1/realtime/client_secrets" "$KEY")
ADD50=$(awk -v a="$O_P50" -v b="$F_P50" 'BEGIN {printf "%.1f", a - b}')
ADD99=$(awk -v a="$O_P99" -v b="$F_P99" 'BEGIN {printf "%.1f", a - b}')
row "fake OpenAI directly (answers after 20 ms), hey -c 256 -q 4" "$F_OK × 200" "${F_P50} ms" "${F_P99} ms" "other $F_OTHER" ""
row "OpenAI via /openai/v1/realtime/client_secrets, same load" "$O_OK × 200" "${O_P50} ms" "${O_P99} ms" "other $O_OTHER" "added p50 **$ADD50 ms** (< 2), p99 **$ADD99 ms** (< 10)"
row "OpenAI one request at a time (hey -c 1 -q 20): fake / via Latchkey" "" "${S_F} / ${S_O} ms" "" "" "added p50 $(awk -v a="$S_O" -v b="$S_F" 'BEGIN {printf "%.1f", a - b}') ms with no queue"
fi

HWM=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$LATCHKEY_PID/status")
row "Latchkey peak resident memory (VmHWM) through both loads" "$HWM MB" "" "" "" "< 512 MB"

# Every token a client got has its ledger row, and no row lacks a minted token.
sleep 2
LEDGER=$(psql -tA -h 127.0.0.1 -U postgres -d "$DB" -c "SELECT count(*) FROM usage_ledger")
MINTED=$(curl -s "localhost:$PORT/actuator/prometheus" | awk '/^latchkey_tokens_minted_total\{.*outcome="success"/ {n+=$2} END {printf "%d", n}')
row "ledger rows / tokens minted (latchkey_tokens_minted_total)" "$LEDGER / $MINTED" "" "" "" "equal: $([ "$LEDGER" = "$MINTED" ] && echo yes || echo **NO**)"
TOKEN=$(curl -s -b "$WORK/jar" -c "$WORK/jar" "localhost:$PORT/v1/auth/csrf" | sed 's/.*"token":"\([^"]*\)".*/\1/')
VERIFY=$(curl -s -b "$WORK/jar" -X POST -H "X-XSRF-TOKEN: $TOKEN" "localhost:$PORT/v1/admin/audit-events/verify")
echo "$VERIFY" | grep -q '"intact"' || VERIFY=$(curl -s -b "$WORK/jar" "localhost:$PORT/v1/admin/audit-events/verify")
row "audit chain verified after the run" "$(echo "$VERIFY" | sed 's/.*"rows_checked":\([0-9]*\).*/\1/') rows" "" "" "" "intact: $(echo "$VERIFY" | grep -q '"intact":true' && echo yes || echo "**NO** $VERIFY")"

if [[ "$LOADS" == *" jmh "* ]]; then
echo "== JMH: platform-key verification on the cached path (1 thread)"
CP=$(cat "$WORK/classpath.txt")
"$JAVA" -cp "platform-api/target/test-classes:platform-api/target/classes:$CP" \
  -Dbench.jdbc-url="jdbc:postgresql://127.0.0.1:5432/$DB" org.openjdk.jmh.Main ApiKeyVerificationBenchmark \
  -rf text -rff "$WORK/jmh.txt" > "$WORK/jmh.log" 2>&1 || { tail -20 "$WORK/jmh.log"; exit 1; }
JMH=$(awk '/verifyCachedKey/ {printf "%d ± %d", $4, $6}' "$WORK/jmh.txt")
row "JMH platform-key verification, cached path, 1 thread" "$JMH ops/s" "" "" "" "> 100,000/s per core"
fi

echo
echo "== what the instance reported after the LiveKit load"
cat "$WORK/metrics-livekit.txt" 2>/dev/null || true
[ -n "${CPU_OPENAI:-}" ] && echo "== after the OpenAI-shape load (the whole run's counters): $CPU_OPENAI" && cat "$WORK/metrics-openai.txt"
echo
echo "| load | result | p50 | p99 | errors | target |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

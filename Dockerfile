# syntax=docker/dockerfile:1.7
# Latchkey's production image: the packaged jar (no embedded PostgreSQL) on a Temurin 25 JRE, as a
# non-root user, ready for a read-only root filesystem. Build: docker build -t latchkey .
# Run the migrations:  docker run --rm -e SPRING_DATASOURCE_URL=... -e SPRING_DATASOURCE_USERNAME=<app role>
#                        -e SPRING_FLYWAY_USER=<owner> -e SPRING_FLYWAY_PASSWORD=... latchkey migrate
# Run the platform:     docker run -e LATCHKEY_MODE=production -e ... latchkey
# No secret is baked in: every one comes from the environment (see .env.example).

# --- build: Maven (through the wrapper) on JDK 17, the console with Node 20 ----------------------
FROM eclipse-temurin:17-jdk-noble AS build
# Node 20 and npm from the official image: the Maven build runs the machine's npm for the console.
COPY --from=node:20-bookworm-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-bookworm-slim /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
WORKDIR /src
COPY . .
# The production jar: platform-api and what it needs (tests are CI's job). The Maven and npm
# caches persist between builds (BuildKit cache mounts), not in the image.
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    ./mvnw -B -ntp -DskipTests -pl platform-api -am package \
 && cp platform-api/target/latchkey-platform-api-*.jar /latchkey.jar \
 && mkdir /layers && cd /layers \
 && java -Djarmode=tools -jar /latchkey.jar extract --layers --launcher --destination /layers

# --- run: the JRE only ---------------------------------------------------------------------------
FROM eclipse-temurin:25-jre-noble
# Fixed numeric ids, so that runAsNonRoot and file ownership work without a user database lookup.
RUN groupadd --system --gid 10001 latchkey \
 && useradd --system --uid 10001 --gid latchkey --home-dir /app --shell /usr/sbin/nologin latchkey
WORKDIR /app
# Layers from the least to the most often changed.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
# Sized for a container with a 640 MB memory limit (peak RSS under bench/run.sh's loads: see
# bench/README.md; the target is under 512 MB): a fixed 192 MB heap (live data under load is about
# 100 MB) with a young generation large enough that the request path's garbage dies young, and the
# parallel collector: on two cores its young collections paused a LiveKit load for 0.9 s against the
# serial collector's 2.4 s, the brokered calls' p99 went from +260-317 ms to +181-202 ms, and a mint
# cost 1.2-1.5 times the bare Node token server's CPU in four runs against 1.5-1.9 in three
# (bench/README.md, 2026-11-30), for 7-16 MB more. Survivor spaces of
# 16 MB, filled up to 90 %: the objects of requests still waiting for a provider (5-11 MB at a
# thousand calls a second) then age in the young generation instead of being promoted after one
# collection and filling the old one (half the full collections under bench/run.sh). C2 only
# (-TieredCompilation): without tiered compilation's profiled C1 code the code cache holds about half
# as much (the part of the footprint that grew with warm-up), at the price of a slower warm-up,
# much slower where the container gets little CPU while it warms up (the interpreter runs until C2
# catches up; bench/README.md). Give it CPU for the first minutes, or take tiered compilation
# (drop -XX:-TieredCompilation) and about 60 MB more.
# The code cache is capped with room to spare, and its collection threshold raised so that filling it
# while warming up does not cost full collections. Bounded metaspace and direct memory (Tomcat,
# Lettuce), small thread stacks. Exit on OutOfMemoryError so that the orchestrator restarts the
# container instead of leaving it half-alive. Temporary files go to /tmp, the one writable place a
# read-only root filesystem needs (mount an emptyDir or tmpfs there).
ENV JAVA_TOOL_OPTIONS="-Xms192m -Xmx192m -Xmn64m -XX:SurvivorRatio=2 -XX:TargetSurvivorRatio=90 -XX:+UseCompactObjectHeaders -Xss512k -XX:MaxMetaspaceSize=160m -XX:MaxDirectMemorySize=32m -XX:-TieredCompilation -XX:ReservedCodeCacheSize=64m -XX:SweeperThreshold=50 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    MALLOC_ARENA_MAX=2 \
    LATCHKEY_MODE=production \
    SERVER_PORT=8080
EXPOSE 8080
# Readiness over plain bash (the JRE image has no curl): 200 is UP or DEGRADED (Redis unreachable,
# limits per instance); anything else, or no answer in 3 s, is unhealthy.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && timeout 3 head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

# syntax=docker/dockerfile:1
#
# pgverify as a container: one process that does one share of the work (see docs/kubernetes.md).
#
#   docker build -t pgverify .
#   docker run --rm -e PGVERIFY_SOURCE -e PGVERIFY_TARGET -e PGVERIFY_SOURCE_PASSWORD -e PGVERIFY_TARGET_PASSWORD \
#       pgverify verify --format json
#
# Configuration comes from the environment only: PGVERIFY_* (every option has one, see docs/cli.md) and libpq's PG*
# variables (PGPASSWORD, PGSSLMODE, ...). Nothing secret is baked into the image, so one image serves every database.

# --- Build: the shaded CLI jar, exactly as `mvn package` makes it outside the container.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds without putting it in a layer. Tests need the embedded servers and run in
# CI, not here; the javadoc and sources jars are for Maven Central, not for the image.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl verify-cli -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true

# --- Runtime: a JRE, the jar and its launcher, and a user that is not root.
FROM eclipse-temurin:17-jre

# A fixed UID/GID, so that a Kubernetes securityContext (runAsUser, fsGroup) and volume permissions can name it;
# 10001 is clear of the base image's own users (ubuntu is 1000).
RUN groupadd --system --gid 10001 pgverify \
    && useradd --system --uid 10001 --gid 10001 --home-dir /home/pgverify --create-home --shell /usr/sbin/nologin pgverify

# The installed layout bin/pgverify reads: lib/pgverify.jar beside bin/.
COPY --from=build /src/bin/pgverify /opt/pgverify/bin/pgverify
COPY --from=build /src/verify-cli/target/pgverify.jar /opt/pgverify/lib/pgverify.jar

# The heap follows the container's memory limit (the JVM's default is a quarter of it); PGVERIFY_JAVA_OPTS="-Xmx..."
# replaces this. Not a setting of pgverify itself, so it may have a default here.
ENV PATH="/opt/pgverify/bin:${PATH}" \
    PGVERIFY_JAVA_OPTS="-XX:MaxRAMPercentage=75.0"

USER 10001:10001
WORKDIR /home/pgverify
ENTRYPOINT ["/opt/pgverify/bin/pgverify"]
CMD ["--help"]

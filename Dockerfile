# One image for every role: ROLES (and the other settings in the README) choose what a container runs.
#
# The base images are build arguments. Their defaults are the official images; where no image
# registry is reachable, docker/base-images makes Debian stand-ins and docker/no-registry.env names
# them (README, "Containers").
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

# Build on a full JDK with Maven; dependencies first, so that a code change reuses their layer.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q package -DskipTests

# Run on a JRE only, as a user without privileges.
FROM ${RUNTIME_IMAGE}
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin starter \
 && mkdir -p /app/data \
 && chown starter /app/data
WORKDIR /app
COPY --from=build /src/target/starter.jar /app/starter.jar
COPY conf /app/conf
# The class-data archive the JVM starts with (AppCDS): a training run of this jar on this JVM.
# It cuts the start to the first /hello from about 2.3 s to 1.4 s (bench/startup.sh).
COPY docker/train-cds /tmp/train-cds
RUN /tmp/train-cds /app/starter.jar /app/starter.jsa && rm /tmp/train-cds
COPY docker/healthcheck /app/healthcheck
USER starter

# The JVM sizes itself from the container's limits; leave room for off-heap buffers (Netty).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    WS_HOST=0.0.0.0 \
    WS_PORT=8081 \
    DATA_DIR=/app/data \
    CLUSTER_HOST=auto \
    LOG_FORMAT=json

# HTTP (API, health, metrics), websockets, Hazelcast. The event bus itself uses a random port.
EXPOSE 8080 8081 5701
# Ready: every process answers /health/ready on HTTP_PORT, whatever its roles.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 CMD ["/app/healthcheck"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/starter.jsa", "-jar", "/app/starter.jar"]

# One image for every role: ROLES (and the other settings in the README) choose what a container runs.

# Build on a full JDK with Maven; dependencies first, so that a code change reuses their layer.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q package -DskipTests

# Run on a JRE only, as a user without privileges.
FROM eclipse-temurin:17-jre
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
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/starter.jsa", "-jar", "/app/starter.jar"]

# Vigil container image: a release build on the official Swift image, then a small Debian
# runtime with only the shared libraries Vigil links (libpq, protobuf-c, zlib).
#
#   docker build -t vigil .
#   docker run -e VIGIL_DATABASE_URL=postgresql://user:password@host:5432/vigil -p 4317:4317 -p 4318:4318 -p 8080:8080 vigil
#
# See docker-compose.yml for Vigil together with PostgreSQL.

ARG SWIFT_VERSION=6.2

# ---- build ----
FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libpq-dev libprotobuf-c-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
# Resolve dependencies in their own layer, so that changing sources does not fetch them again.
COPY Package.* ./
RUN swift package resolve
COPY . .
RUN swift build -c release --product vigil --static-swift-stdlib

# The binary and its resource bundles (vigil_VigilSchemas.resources holds the SQL migrations;
# Bundle.module looks for it next to the executable).
RUN set -e; \
    bin="$(swift build -c release --show-bin-path)"; \
    mkdir /staging; \
    cp "$bin/vigil" /staging/; \
    find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \; ; \
    test -d /staging/vigil_VigilSchemas.resources

# ---- runtime ----
FROM debian:bookworm-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libpq5 libprotobuf-c1 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system vigil \
    && useradd --system --gid vigil --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vigil

COPY --from=build /staging/ /usr/local/bin/

USER vigil:vigil
# 4317 OTLP/gRPC, 4318 OTLP/HTTP, 8080 read API.
EXPOSE 4317 4318 8080
ENTRYPOINT ["vigil"]
CMD ["serve"]

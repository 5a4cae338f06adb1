# A release build in the Rust image, run from a minimal one (TLS roots and
# time zones are compiled into the binary). See docs/operations.md.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin larder

FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/target/release/larder /usr/local/bin/larder
WORKDIR /data
ENV LARDER_ADMIN_ADDR=0.0.0.0:9464
EXPOSE 9464 8081
ENTRYPOINT ["/usr/local/bin/larder"]
CMD ["run", "--log-format", "json"]

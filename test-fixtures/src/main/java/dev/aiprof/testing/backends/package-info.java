/**
 * Real observability backends for integration tests, started from the test on loopback and removed
 * afterwards: Apache SkyWalking OAP ({@link dev.aiprof.testing.backends.SkyWalking}: OTLP/gRPC in,
 * Zipkin and PromQL APIs out) and VictoriaMetrics ({@link
 * dev.aiprof.testing.backends.VictoriaMetrics}: OTLP/HTTP metrics in, PromQL out), with small
 * clients for what they serve ({@link dev.aiprof.testing.backends.Zipkin}, {@link
 * dev.aiprof.testing.backends.PromQl}).
 *
 * <p>Nothing is installed on the host: SkyWalking's jars come from Maven ({@link
 * dev.aiprof.testing.backends.MavenArtifacts}), VictoriaMetrics from the Debian trixie package,
 * downloaded through the host's own Debian source and extracted ({@link
 * dev.aiprof.testing.backends.DebianPackage}). Both are cached under the build directory ({@code
 * $AIPROF_BUILD_DIR/backends}), so reruns start in seconds.
 */
package dev.aiprof.testing.backends;

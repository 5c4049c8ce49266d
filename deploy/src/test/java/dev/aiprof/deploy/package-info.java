/**
 * Tests of the distribution that {@code mvn package} builds in {@code deploy/target}: the tarball's
 * and the {@code .deb}'s contents, the package installed into a scratch root and run from there
 * with no JDK on the PATH, and the container image run with podman.
 */
package dev.aiprof.deploy;

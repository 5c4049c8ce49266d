#!/usr/bin/env bash
# Builds the distribution from the built agent (mvn package runs it in deploy/):
#   target/aiprof-VERSION-linux-amd64.tar.gz  aiprof-VERSION/ = what the .deb puts in /opt/aiprof
#   target/aiprof_VERSION_amd64.deb           /opt/aiprof, /usr/bin/aiprof, /etc/aiprof, the unit
# The tree, as /opt/aiprof: bin/aiprof (the launcher), runtime/ (a jlinked Java runtime with the
# modules jdeps finds plus the ones loaded by name), aiprof.jar and lib/ (the agent's jars,
# libaiprof.so, libaiprofcap.so, JNA's native part, jvm.options, the AOT cache), dashboards/,
# deploy/, config.yaml.
#
# Usage: dist.sh JDK REPO_ROOT OUT_DIR VERSION
# AIPROF_AOT_TRAIN=off skips the AOT training run (a cache trained on another host is never used).
set -euo pipefail
JDK=$1 ROOT=$2 OUT=$3 VERSION=$4
HERE=$(cd "$(dirname "$0")/../.." && pwd)
AGENT=$ROOT/agent/target
# Debian orders ~ before anything: 0.1.0~snapshot < 0.1.0.
DEB_VERSION=$(printf '%s' "$VERSION" | sed 's/-SNAPSHOT$/~snapshot/')
NAME=aiprof-$VERSION
STAGE=$OUT/dist/$NAME
# Loaded by name, which jdeps cannot see: the JMX connector of the JFR fallback (rmi), jar file
# systems, DNS lookups of gRPC's resolver, EC keys for TLS to an OTLP endpoint.
EXTRA_MODULES=java.management.rmi,jdk.zipfs,jdk.naming.dns,jdk.crypto.ec

say() { printf 'dist: %s\n' "$*" >&2; }
[ -f "$AGENT/aiprof.jar" ] || { say "no $AGENT/aiprof.jar: build the agent first"; exit 1; }
rm -rf "$OUT/dist"
mkdir -p "$STAGE/bin" "$STAGE/lib" "$STAGE/dashboards"

runtime_modules() {
  local found
  found=$("$JDK/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps -q \
    --class-path "$AGENT/lib/*" "$AGENT/aiprof.jar")
  printf '%s,%s\n' "$found" "$EXTRA_MODULES"
}

build_runtime() {
  local modules
  modules=$(runtime_modules)
  say "jlink $modules"
  "$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
    --strip-native-debug-symbols=objcopy=/usr/bin/objcopy --output "$STAGE/runtime"
  printf '%s\n' "$modules" | tr , '\n' >"$STAGE/runtime/aiprof-modules"
}

# The JVM options of the source checkout's launcher (./aiprof's exec line): one source for both.
jvm_options() {
  awk '/^exec "\$JDK\/bin\/java"/{on=1} on{print} on&&/-jar "\$JAR"/{exit}' "$ROOT/aiprof" |
    tr ' \\' '\n\n' | grep -E '^-' | grep -vx -- '-jar' >"$STAGE/lib/jvm.options"
  [ -s "$STAGE/lib/jvm.options" ] || { say "no JVM options found in $ROOT/aiprof"; exit 1; }
}

copy_agent() {
  cp "$AGENT/aiprof.jar" "$STAGE/"
  cp "$AGENT"/lib/* "$STAGE/lib/"
  local jna
  jna=$(ls "$STAGE"/lib/jna-[0-9]*.jar) # jna itself, not jna-platform (OSHI's)
  (cd "$OUT/dist" && "$JDK/bin/jar" --extract --file "$jna" com/sun/jna/linux-x86-64/libjnidispatch.so)
  mv "$OUT/dist/com/sun/jna/linux-x86-64/libjnidispatch.so" "$STAGE/lib/"
  rm -rf "$OUT/dist/com"
  install -m 755 "$HERE/src/dist/aiprof" "$STAGE/bin/aiprof"
  install -m 644 "$HERE/src/dist/config.yaml" "$STAGE/config.yaml"
  cp "$ROOT"/dashboards/*.json "$STAGE/dashboards/"
  local d
  for d in systemd kubernetes helm; do
    if [ -d "$HERE/$d" ]; then
      mkdir -p "$STAGE/deploy"
      cp -r "$HERE/$d" "$STAGE/deploy/"
    fi
  done
}

# JDK 25's AOT cache (JEP 483/514/515): classes loaded and linked, and method profiles, from one
# training run of the packaged launcher. The run needs what profile needs (root, BPF); without
# it, doctor trains the cache (less of the probe path is in it).
train_aot() {
  [ "${AIPROF_AOT_TRAIN:-on}" = off ] && { say "AOT training off"; return 0; }
  local log=$OUT/dist/aot-training.log
  local opts="-XX:AOTCacheOutput=$STAGE/lib/aiprof.aot -Xlog:aot=warning,cds=warning"
  if AIPROF_JAVA_OPTS=$opts "$STAGE/bin/aiprof" profile --duration 1s >"$log" 2>&1 ||
    { rm -f "$STAGE/lib/aiprof.aot"; AIPROF_JAVA_OPTS=$opts "$STAGE/bin/aiprof" doctor >>"$log" 2>&1; }; then
    :
  fi
  [ -f "$STAGE/lib/aiprof.aot" ] || say "no AOT cache (see $log): start-up is slower"
}

tarball() {
  # gzip -1: the jars are compressed already; -6 costs twice the time for 4% less.
  tar -C "$OUT/dist" --owner=0 --group=0 --numeric-owner -c "$NAME" | gzip -1 >"$OUT/$NAME-linux-amd64.tar.gz"
}

deb() {
  local root=$OUT/dist/deb
  mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/etc/aiprof" "$root/lib/systemd/system"
  cp -a "$STAGE" "$root/opt/aiprof"
  ln -s /opt/aiprof/bin/aiprof "$root/usr/bin/aiprof"
  install -m 644 "$HERE/src/dist/config.yaml" "$root/etc/aiprof/config.yaml"
  if [ -f "$HERE/systemd/aiprof.service" ]; then
    install -m 644 "$HERE/systemd/aiprof.service" "$root/lib/systemd/system/aiprof.service"
  else
    rmdir "$root/lib/systemd/system" "$root/lib/systemd" "$root/lib"
  fi
  local size
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$DEB_VERSION/" -e "s/@SIZE@/$size/" "$HERE/src/deb/control" >"$root/DEBIAN/control"
  install -m 644 "$HERE/src/deb/conffiles" "$root/DEBIAN/conffiles"
  install -m 755 "$HERE"/src/deb/{postinst,prerm,postrm} "$root/DEBIAN/"
  dpkg-deb --root-owner-group -Zgzip -z1 --build "$root" "$OUT/aiprof_${DEB_VERSION}_amd64.deb" >/dev/null
}

build_runtime
jvm_options
copy_agent
train_aot
tarball
deb
say "built $OUT/$NAME-linux-amd64.tar.gz and $OUT/aiprof_${DEB_VERSION}_amd64.deb"

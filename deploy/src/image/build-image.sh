#!/usr/bin/env bash
# Builds the aiprof container image daemonless: a Debian base made of the files of the Debian
# packages in `packages` (as installed on this host: dpkg -L, no network), the distribution
# tarball unpacked in /opt/aiprof, imported into podman's storage as one layer and saved as an
# OCI archive (push it with `skopeo copy oci-archive:FILE docker://REGISTRY/aiprof:TAG`).
#
# Usage: build-image.sh TARBALL OUT_DIR [TAG]   (root; needs podman, tar, dpkg)
# Writes OUT_DIR/aiprof-image.tar and prints the image name (localhost/aiprof:TAG).
set -euo pipefail
TARBALL=$1 OUT=$2 TAG=${3:-latest}
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE=localhost/aiprof:$TAG
ROOTFS=$OUT/image-rootfs
rm -rf "$ROOTFS"
mkdir -p "$ROOTFS/usr/bin" "$ROOTFS/usr/sbin" "$ROOTFS/usr/lib" "$ROOTFS/usr/lib64" "$ROOTFS/opt"
# merged /usr, as Debian 12 lays it out
for d in bin sbin lib lib64; do ln -s "usr/$d" "$ROOTFS/$d"; done

mapfile -t pkgs < <(grep -Ev '^(#|$)' "$HERE/packages")
# Files and links of those packages (directories are made as tar meets their contents).
dpkg -L "${pkgs[@]}" | sort -u | while IFS= read -r f; do
  if [ -L "$f" ] || [ -f "$f" ]; then printf '%s\n' "${f#/}"; fi
done >"$OUT/image-files"
tar -C / --no-recursion -cf - -T "$OUT/image-files" | tar -C "$ROOTFS" --keep-directory-symlink -xf -

mkdir -p "$ROOTFS/etc/aiprof" "$ROOTFS/var/lib/aiprof" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev"
install -d -m 1777 "$ROOTFS/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
tar -C "$ROOTFS/opt" -xzf "$TARBALL"
mv "$ROOTFS"/opt/aiprof-* "$ROOTFS/opt/aiprof"
ln -s /opt/aiprof/bin/aiprof "$ROOTFS/usr/bin/aiprof"
cp "$ROOTFS/opt/aiprof/config.yaml" "$ROOTFS/etc/aiprof/config.yaml"

tar -C "$ROOTFS" --numeric-owner -cf - . | podman import \
  --change 'ENTRYPOINT ["/opt/aiprof/bin/aiprof"]' \
  --change 'CMD ["run", "--config", "/etc/aiprof/config.yaml"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /var/lib/aiprof' \
  - "$IMAGE" >/dev/null
rm -rf "$ROOTFS" "$OUT/image-files"
rm -f "$OUT/aiprof-image.tar"
podman save --format oci-archive -o "$OUT/aiprof-image.tar" "$IMAGE" >/dev/null
echo "$IMAGE"

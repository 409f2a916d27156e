#!/usr/bin/env bash
# Stage 20: the Debian root filesystem as a tarball, built by mmdebstrap under qemu-user.
# This is the slow stage (~23 min on 2 cores): its tarball is cached in $CACHE, keyed by a hash of
# the package list, the hooks, the initramfs settings and initrd.py (all run inside it), and
# downloaded .debs are kept in $CACHE/debs for the next build.
. "$(dirname "$0")/common.sh"

packages=$(grep -v '^\s*#' "$IMAGE_DIR/packages.txt" | grep -v '^\s*$' | tr '\n' ',' | sed 's/,$//')
key=$(cat "$IMAGE_DIR/packages.txt" "$IMAGE_DIR/hooks/"*.sh "$IMAGE_DIR/initramfs/"*/* \
	"$IMAGE_DIR/initrd.py" "$0" | sha256sum | cut -c1-16)
tarball="$CACHE/rootfs-$SUITE-arm64-$key.tar"
ln -sfn "$tarball" "$WORK/rootfs.tar"
if [ -s "$tarball" ]; then
	stage "rootfs: cached $tarball"
	exit 0
fi
stage "rootfs: mmdebstrap $SUITE arm64 (cold cache: this takes a while)"
mkdir -p "$CACHE/debs"
mmdebstrap --mode=root --format=tar --variant=essential --architectures=arm64 \
	--components=main,non-free-firmware \
	--include="$packages" \
	--aptopt='Acquire::Retries "3"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/fr/*' \
	--dpkgopt='path-include=/usr/share/locale/locale.alias' \
	--skip=download/empty --skip=essential/unlink \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
	--setup-hook="sync-in $CACHE/debs /var/cache/apt/archives" \
	--essential-hook="$IMAGE_DIR/hooks/essential.sh" \
	--customize-hook="sync-out /var/cache/apt/archives $CACHE/debs" \
	--customize-hook="$IMAGE_DIR/hooks/customize.sh" \
	--customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
	"$SUITE" "$tarball.part" "$MIRROR"
mv "$tarball.part" "$tarball"
stage "rootfs: done ($(du -h "$tarball" | cut -f1))"

#!/usr/bin/env bash
# Stage 25: the tryboot kernel module (image/tryboot/), built for the root's own kernel.
# Debian's kernel does not pass `reboot "0 tryboot"` to the Pi firmware; this module does
# (README "Updating totems"). It is compiled in a throw-away arm64 root holding that
# kernel's headers and compiler, never in the image's root: the image ships no compiler,
# and the root's cache key stays the package list. Cached by kernel version and source.
. "$(dirname "$0")/common.sh"

kver=$(tar -tf "$WORK/rootfs.tar" | sed -n 's|^\./usr/lib/modules/\([^/]*\)/$|\1|p' | sort -V | tail -1)
if [ -z "$kver" ]; then
	echo "no kernel in $WORK/rootfs.tar: the tryboot module has nothing to be built for" >&2
	exit 1
fi
key=$(cat "$IMAGE_DIR/tryboot/"* "$0" | sha256sum | cut -c1-16)
module="$CACHE/tryboot/totem_tryboot-$kver-$key.ko"
ln -sfn "$module" "$WORK/totem_tryboot.ko"
if [ -s "$module" ]; then
	stage "tryboot module: cached $module"
	exit 0
fi
stage "tryboot module: building for $kver (headers and gcc under qemu-user)"
mkdir -p "$CACHE/tryboot/part" "$CACHE/debs"
rm -f "$module.part"
mmdebstrap --mode=root --variant=apt --architectures=arm64 \
	--include="linux-headers-$kver,make" \
	--aptopt='Acquire::Retries "3"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--skip=download/empty \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
	--setup-hook="sync-in $CACHE/debs /var/cache/apt/archives" \
	--customize-hook="sync-out /var/cache/apt/archives $CACHE/debs" \
	--customize-hook="copy-in $IMAGE_DIR/tryboot /tmp" \
	--customize-hook="chroot \"\$1\" make -C /usr/src/linux-headers-$kver M=/tmp/tryboot modules" \
	--customize-hook="chroot \"\$1\" modinfo /tmp/tryboot/totem_tryboot.ko" \
	--customize-hook="copy-out /tmp/tryboot/totem_tryboot.ko $CACHE/tryboot/part" \
	"$SUITE" /dev/null "$MIRROR"
mv "$CACHE/tryboot/part/totem_tryboot.ko" "$module"
rmdir "$CACHE/tryboot/part"
stage "tryboot module: done ($(stat -c %s "$module") bytes)"

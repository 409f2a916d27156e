#!/usr/bin/env bash
# build.sh KVER DEST: the tryboot kernel module (image/tryboot/) for kernel KVER, into DEST.
# Debian's kernel does not pass `reboot "0 tryboot"` to the Pi firmware; this module does
# (README "Updating totems"). It is cross-compiled in a throw-away amd64 root, never in the
# image's root: the image ships no compiler, and the root's cache key stays the package
# list. Cached by kernel version and source.
. "$(dirname "$0")/../../common.sh"
kver=$1 dest=$2
key=$(cat "$IMAGE_DIR/tryboot/"* "$0" | sha256sum | cut -c1-16)
module="$CACHE/tryboot/totem_tryboot-$kver-$key.ko"
if [ -s "$module" ]; then
	echo "tryboot module: cached $module"
	install -D -m 644 "$module" "$dest"
	exit 0
fi
echo "tryboot module: cross-compiling for $kver (native amd64 root, no emulation)"
# The compiler runs natively: an amd64 trixie root with Debian's aarch64 cross-gcc, the
# amd64 build of this kernel's kbuild tools (Multi-Arch: foreign, made for this), and the
# arm64 headers unpacked beside them. Installing the arm64 headers through apt would pull
# the arm64 gcc and run it under qemu-user: that took 24 minutes, this well under one.
common="linux-headers-${kver%-*}-common"
mkdir -p "$CACHE/tryboot/part" "$CACHE/debs-amd64"
rm -f "$module.part"
mmdebstrap --mode=root --variant=apt --architectures=amd64,arm64 \
	--include="make,gcc-14-aarch64-linux-gnu,linux-kbuild-${kver%-*}" \
	--aptopt='Acquire::Retries "3"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--skip=download/empty \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
	--setup-hook="sync-in $CACHE/debs-amd64 /var/cache/apt/archives" \
	--customize-hook="chroot \"\$1\" sh -ec 'cd /var/cache/apt/archives && apt-get download linux-headers-$kver:arm64 $common && for d in linux-headers-*.deb; do dpkg-deb -x \$d /; done'" \
	--customize-hook="sync-out /var/cache/apt/archives $CACHE/debs-amd64" \
	--customize-hook="copy-in $IMAGE_DIR/tryboot /tmp" \
	--customize-hook="chroot \"\$1\" make -C /usr/src/linux-headers-$kver M=/tmp/tryboot ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules" \
	--customize-hook="copy-out /tmp/tryboot/totem_tryboot.ko $CACHE/tryboot/part" \
	"$SUITE" /dev/null "$MIRROR"
# A cross-build must give an arm64 module for exactly this kernel, or the totem would boot
# without it and never reach slot B: check both before the module enters the cache.
part="$CACHE/tryboot/part/totem_tryboot.ko"
if [ "$(od -An -tx1 -j18 -N2 "$part" | tr -d ' ')" != "b700" ]; then
	echo "$part is not an arm64 (EM_AARCH64) module" >&2
	exit 1
fi
vermagic=$(modinfo -F vermagic "$part")
case "$vermagic" in
"$kver "*) ;;
*) echo "$part has vermagic '$vermagic', not for $kver" >&2; exit 1 ;;
esac
mv "$part" "$module"
rmdir "$CACHE/tryboot/part"
echo "tryboot module: built ($(stat -c %s "$module") bytes)"
install -D -m 644 "$module" "$dest"

#!/usr/bin/env bash
# Stage 10: the build host's tools (Debian 12 or 13, as root), and the aarch64 binfmt entry that
# lets mmdebstrap run the arm64 packages' maintainer scripts under qemu-user.
. "$(dirname "$0")/common.sh"
stage "host tools"
tools="mmdebstrap qemu-user-static binfmt-support arch-test debian-archive-keyring dosfstools
mtools fdisk gdisk e2fsprogs xz-utils zstd bmap-tools qemu-system-arm qemu-utils python3 git
rauc squashfs-tools openssl kmod"
missing=$(for p in $tools; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
	echo "installing:" $missing
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
	update-binfmts --enable qemu-aarch64
fi
grep -q enabled /proc/sys/fs/binfmt_misc/qemu-aarch64
echo "aarch64 binfmt: $(sed -n 2p /proc/sys/fs/binfmt_misc/qemu-aarch64)"

#!/bin/sh
# mmdebstrap essential hook (runs on the build host, $1 = the new root) before the image's
# packages are installed. raspi-firmware's kernel hooks copy into /boot/firmware; give them the
# directory so they don't stop the install (they detect the chroot and skip the mount check).
# The initramfs settings go in now, so that the kernel's first initrd is already the slim one.
set -eu
mkdir -p "$1/boot/firmware"
initramfs="$(dirname "$0")/../initramfs"
install -d "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"
install -m 644 "$initramfs/conf.d/totem.conf" "$1/etc/initramfs-tools/conf.d/totem.conf"
install -m 755 "$initramfs/hooks/totem-modules" "$1/etc/initramfs-tools/hooks/totem-modules"

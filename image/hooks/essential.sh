#!/bin/sh
# mmdebstrap essential hook (runs on the build host, $1 = the new root) before the image's
# packages are installed. raspi-firmware's kernel hooks copy into /boot/firmware; give them the
# directory so they don't stop the install (they detect the chroot and skip the mount check).
set -eu
mkdir -p "$1/boot/firmware"

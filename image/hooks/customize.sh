#!/bin/sh
# mmdebstrap customize hook (runs on the build host, $1 = the new root) after every package is
# installed. Only what needs the target's own tools lives here (it is cached with the tarball);
# the rest of the configuration is done by stages/40-configure/ without emulation.
set -eu
root="$1"

# The kiosk's system user: no password, no login shell, may open DRM and evdev nodes.
for group in video input render; do
	chroot "$root" getent group "$group" >/dev/null || chroot "$root" groupadd --system "$group"
done
chroot "$root" useradd --system --home-dir /var/lib/totem --no-create-home \
	--shell /usr/sbin/nologin --groups video,input,render totem
chroot "$root" passwd --lock root >/dev/null

# The initrd was built at zstd level 1 under emulation (initramfs/conf.d/totem.conf); level 19,
# done natively here, makes it smaller for both boot slots without minutes of qemu-user.
for initrd in "$root"/boot/initrd.img-*; do
	python3 "$(dirname "$0")/../initrd.py" recompress "$initrd"
done

# The package manager's state is not needed on a read-only appliance updated by image.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin

#!/bin/sh
# mmdebstrap customize hook (runs on the build host, $1 = the new root): build image/tryboot/
# for the image's own kernel, inside the root (its gcc and kbuild, under qemu-user), then take
# the compiler and headers out again. The module is cached with the root tarball.
set -eu
root="$1"
source="$(dirname "$0")/../tryboot"
kver=$(basename "$(ls -d "$root"/usr/lib/modules/* | sort -V | tail -1)")
installed() { chroot "$root" dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' | awk '/^ii/ {print $2}' | sort; }
installed > "$root/tmp/before"
# The root has no apt of its own (variant essential): mmdebstrap's apt works on it from outside.
export APT_CONFIG="$MMDEBSTRAP_APT_CONFIG"
apt-get install -y --no-install-recommends "linux-headers-$kver" make >/dev/null
rm -rf "$root/tmp/tryboot"
cp -r "$source" "$root/tmp/tryboot"
chroot "$root" make -s -C "/usr/src/linux-headers-$kver" M=/tmp/tryboot modules
install -D -m 644 "$root/tmp/tryboot/totem_tryboot.ko" "$root/usr/lib/modules/$kver/updates/totem_tryboot.ko"
installed > "$root/tmp/after"
# Whatever the headers brought in goes again, and only that.
comm -13 "$root/tmp/before" "$root/tmp/after" | xargs apt-get purge -y >/dev/null
rm -rf "$root/tmp/tryboot" "$root/tmp/before" "$root/tmp/after"
chroot "$root" depmod "$kver"
echo "tryboot module built for $kver"

#!/usr/bin/env bash
# Stage 40, step 03: Read-only root: mounts, writable state on the data partition or tmpfs.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
python3 "$IMAGE_DIR/layout.py" fstab > "$ROOT/etc/fstab"
install -d "$ROOT/run/totem/cfg" "$ROOT/var/lib/totem"
rm -rf "$ROOT/var/log/journal"
ln -s /var/lib/totem/journal "$ROOT/var/log/journal"
: > "$ROOT/etc/machine-id"  # empty: a fresh id each boot, no "first boot" presets on a ro root
echo totem > "$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$ROOT/etc/hosts"
rm -f "$ROOT/etc/resolv.conf"
echo "nameserver 127.0.0.1" > "$ROOT/etc/resolv.conf"  # the local dnsmasq (allow-list)
ln -sfn /usr/share/zoneinfo/Europe/Paris "$ROOT/etc/localtime"
echo Europe/Paris > "$ROOT/etc/timezone"

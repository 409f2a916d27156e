#!/usr/bin/env bash
# Stage 40: make the Debian root a Totem root, with host tools only (no emulation but one
# compileall): the appliance package, the overlay, fstab, read-only-root links, enabled and
# masked units. Also fills the template of the data partition.
. "$(dirname "$0")/common.sh"
ROOT="$WORK/rootfs"
stage "configure root filesystem"

# 1. The appliance package and the wire contract onto Debian's python3 (no pip on the device).
site="$ROOT/usr/lib/python3/dist-packages"
rm -rf "$site/appliance" "$site/wire"
tar -C "$REPO" --exclude='__pycache__' --exclude='*.pyc' --owner=0 --group=0 -cf - appliance wire |
	tar -C "$site" -xf -
install -d "$ROOT/usr/share/doc/totem"
install -m 644 "$REPO/README.md" "$ROOT/usr/share/doc/totem/README.md"
cat > "$ROOT/usr/bin/totem" <<'PY'
#!/usr/bin/python3
import sys

from appliance.cli import main

sys.exit(main())
PY
chmod 755 "$ROOT/usr/bin/totem"
install -d "$ROOT/usr/lib/totem"
printf '{"version": "%s", "source_date_epoch": %s, "commit": "%s"}\n' \
	"$VERSION" "$SOURCE_DATE_EPOCH" "$COMMIT" > "$ROOT/usr/lib/totem/build-info.json"

# 2. The overlay: systemd units and configuration from every area of the project.
tar -C "$IMAGE_DIR/rootfs-overlay" --owner=0 --group=0 -cf - . | tar -C "$ROOT" -xf -

# 3. Read-only root: mounts, writable state on the data partition or tmpfs.
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

# 4. Units: enable what has an [Install] section in the overlay; mask what a kiosk must not have.
units=$(grep -l '^\[Install\]' "$IMAGE_DIR"/rootfs-overlay/usr/lib/systemd/system/*.{service,timer,path,socket} 2>/dev/null |
	xargs -r -n1 basename | grep -v '@' || true)
# shellcheck disable=SC2086
systemctl --root="$ROOT" enable $units systemd-networkd.service systemd-timesyncd.service 2>&1 |
	grep -v '^Created symlink' || true
systemctl --root="$ROOT" mask getty@tty1.service autovt@.service ctrl-alt-del.target \
	systemd-firstboot.service 2>&1 | grep -v '^Created symlink' || true
systemctl --root="$ROOT" set-default multi-user.target 2>&1 | grep -v '^Created symlink' || true
echo "enabled: $units"

# 5. Boot files leave the root: they live in the boot partitions (stage 50).
rm -rf "$WORK/kernel"
install -d "$WORK/kernel"
kver=$(basename "$(ls -d "$ROOT"/usr/lib/modules/* | sort -V | tail -1)")
cp "$ROOT/boot/vmlinuz-$kver" "$WORK/kernel/vmlinuz"
cp "$ROOT/boot/initrd.img-$kver" "$WORK/kernel/initrd.img"
cp -r "$ROOT/usr/lib/linux-image-$kver/broadcom" "$WORK/kernel/dtbs"
echo "$kver" > "$WORK/kernel/version"
rm -rf "$ROOT"/boot/firmware/* "$ROOT"/boot/vmlinuz* "$ROOT"/boot/initrd.img* "$ROOT"/vmlinuz* \
	"$ROOT"/initrd.img*
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/log/*.log "$ROOT"/var/log/apt

# 6. Byte-compile the appliance for the device's python3 (hash-checked pyc: reproducible).
chroot "$ROOT" python3 -m compileall -q --invalidation-mode unchecked-hash \
	/usr/lib/python3/dist-packages/appliance /usr/lib/python3/dist-packages/wire

# 7. Reproducibility: nothing newer than SOURCE_DATE_EPOCH.
find "$ROOT" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"

# 8. The data partition's first content: the kiosk's directory and the persistent journal.
uid=$(awk -F: '$1 == "totem" {print $3}' "$ROOT/etc/passwd")
gid=$(awk -F: '$1 == "totem" {print $3}' "$ROOT/etc/group")
journal_gid=$(awk -F: '$1 == "systemd-journal" {print $3}' "$ROOT/etc/group")
rm -rf "$WORK/data"
install -d -m 0750 -o "$uid" -g "$gid" "$WORK/data"
install -d -m 2755 -o 0 -g "${journal_gid:-0}" "$WORK/data/journal"
touch -d "@$SOURCE_DATE_EPOCH" "$WORK/data" "$WORK/data/journal"
du -sh "$ROOT" | sed 's/^/root: /'

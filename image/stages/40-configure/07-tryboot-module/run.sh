#!/usr/bin/env bash
# Stage 40, step 07: The tryboot module (build.sh, for the kernel step 05 found) joins the
# kernel's modules, loaded at every start so that `reboot "0 tryboot"` reaches the Pi firmware.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
kver=$(cat "$WORK/kernel/version")
bash "$(dirname "$0")/build.sh" "$kver" "$ROOT/usr/lib/modules/$kver/updates/totem_tryboot.ko"
install -D -m 644 /dev/stdin "$ROOT/usr/lib/modules-load.d/totem-tryboot.conf" <<'CONF'
# Pass `reboot "0 tryboot"` to the Raspberry Pi firmware (Totem's A/B updates).
totem_tryboot
CONF
# The root's own depmod (under qemu-user), so modules.dep is written in its kmod's format;
# it also forgets the modules step 06 took away.
chroot "$ROOT" depmod "$kver"
grep -q 'updates/totem_tryboot.ko:' "$ROOT/usr/lib/modules/$kver/modules.dep"
echo "tryboot module installed for $kver"

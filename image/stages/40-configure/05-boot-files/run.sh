#!/usr/bin/env bash
# Stage 40, step 05: Boot files leave the root: they live in the boot partitions (stage 50).
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
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

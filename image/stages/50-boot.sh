#!/usr/bin/env bash
# Stage 50: the contents of the FAT partitions. boot-a and boot-b each get the Pi 4 firmware
# (raspi-firmware), the device trees, Debian's kernel and initrd, config.txt and a cmdline.txt
# naming their own root; TOTEMCFG gets autoboot.txt, the commented totem.toml and LISEZMOI.txt.
. "$(dirname "$0")/common.sh"
ROOT="$WORK/rootfs"
stage "boot partitions"
for slot in a b; do
	dir="$WORK/boot-$slot"
	rm -rf "$dir"
	install -d "$dir"
	# Pi 4 firmware only (start4*.elf, fixup4*.dat); the Pi 4 has its bootloader in EEPROM.
	for f in "$ROOT"/usr/lib/raspi-firmware/*4*.elf "$ROOT"/usr/lib/raspi-firmware/fixup4*.dat \
		"$ROOT"/usr/lib/raspi-firmware/LICENCE*; do
		[ -e "$f" ] && cp "$f" "$dir/"
	done
	[ -d "$ROOT/usr/lib/raspi-firmware/overlays" ] && cp -r "$ROOT/usr/lib/raspi-firmware/overlays" "$dir/"
	cp "$WORK"/kernel/dtbs/bcm2711*.dtb "$dir/"
	# Both slots boot the same kernel and initrd: the slim initrd (image/initramfs) keeps the
	# second copy cheap in the download.
	cp "$WORK/kernel/vmlinuz" "$WORK/kernel/initrd.img" "$dir/"
	install -m 644 "$REPO/firmware/config.txt" "$dir/config.txt"
	python3 "$IMAGE_DIR/layout.py" cmdline "$slot" > "$dir/cmdline.txt"
	echo "boot-$slot: $(ls "$dir" | wc -l) files, $(du -sh "$dir" | cut -f1)"
done
cfg="$WORK/totemcfg"
rm -rf "$cfg"
install -d "$cfg"
python3 "$IMAGE_DIR/layout.py" autoboot > "$cfg/autoboot.txt"
install -m 644 "$REPO/firmware/totem.toml" "$REPO/firmware/LISEZMOI.txt" "$cfg/"
# FAT is read by Windows users: CRLF line ends in the installer's files.
sed -i 's/$/\r/' "$cfg/totem.toml" "$cfg/LISEZMOI.txt"
find "$WORK"/boot-a "$WORK"/boot-b "$cfg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

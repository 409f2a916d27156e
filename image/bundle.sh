#!/usr/bin/env bash
# `make bundle`: the RAUC update bundle of the image just built (`make image` first): the same
# root filesystem and boot files, in RAUC's verity format, signed with the update key.
#   build/totem-<release>-rpi4-arm64.raucb
. "$(dirname "$0")/stages/common.sh"
. "$IMAGE_DIR/signing.sh"
fs="$WORK/fs"
for part in root-a.ext4 boot-a.vfat; do
	[ -s "$fs/$part" ] || { echo "no $fs/$part: run make image first" >&2; exit 1; }
done
built=$(debugfs -R "cat /usr/lib/totem/version" "$fs/root-a.ext4" 2>/dev/null | tr -d '\n')
if [ "$built" != "$RELEASE" ]; then
	echo "build/ holds release ${built:-?}, this tree is $RELEASE: run make image first" >&2
	exit 1
fi
command -v rauc >/dev/null || { echo "rauc is missing: apt-get install rauc (make image installs it)" >&2; exit 1; }
signing_key
stage "bundle $RELEASE"
dir="$WORK/bundle"
rm -rf "$dir"
install -d "$dir"
# Hard links: the bundle's squashfs reads the images where stage 60 made them.
ln "$fs/root-a.ext4" "$dir/root.ext4"
ln "$fs/boot-a.vfat" "$dir/boot.vfat"
python3 "$IMAGE_DIR/layout.py" raucm "$RELEASE" > "$dir/manifest.raucm"
out="$BUILD/totem-$RELEASE-rpi4-arm64.raucb"
rm -f "$out"
rauc bundle --cert="$SIGNING_CERT" --key="$SIGNING_KEY" \
	--mksquashfs-args="$(python3 "$IMAGE_DIR/layout.py" squashfs-args)" "$dir" "$out" >/dev/null
rauc info --keyring="$SIGNING_CERT" --output-format=shell "$out" > "$WORK/bundle.info"
rm -rf "$dir"
echo "$(basename "$out"): $(($(stat -c %s "$out") / 1048576)) MiB, signed by $SIGNING_CERT"

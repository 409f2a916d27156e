#!/usr/bin/env bash
# Stage 60: filesystems as files (mkfs.vfat + mcopy, mkfs.ext4 -d: no loop mount), then the GPT
# written by sfdisk and each filesystem copied to its offset, keeping the image file sparse.
. "$(dirname "$0")/common.sh"
stage "filesystems and partition table"
img="$BUILD/$IMG_NAME.img"
fs="$WORK/fs"
rm -rf "$fs"
install -d "$fs"
uuid_of() { python3 "$IMAGE_DIR/layout.py" stable-uuid "$1"; }

make_fat() {  # name label size_bytes source_dir
	local file="$fs/$1.vfat" volid
	volid=$(uuid_of "fat:$1" | cut -c1-8)
	mkfs.vfat -C -n "$2" -i "$volid" --invariant "$file" $(($3 / 1024)) >/dev/null
	mcopy -s -m -Q -i "$file" "$4"/* ::
}

make_ext4() {  # name label size_bytes source_dir
	"$IMAGE_DIR/ext4.sh" "$1" "$2" "$3" "$4" "$fs/$1.ext4"
}

empty="$WORK/empty"
install -d "$empty"
while read -r name offset size type label; do
	case "$name" in
	TOTEMCFG) make_fat "$name" "$label" "$size" "$WORK/totemcfg" ;;
	boot-a | boot-b) make_fat "$name" "$label" "$size" "$WORK/$name" ;;
	root-a) make_ext4 "$name" "$label" "$size" "$WORK/rootfs" ;;
	root-b) make_ext4 "$name" "$label" "$size" "$empty" ;;  # filled by the first A/B update
	data) make_ext4 "$name" "$label" "$size" "$WORK/data" ;;
	esac
	echo "$name: $type $label $((size / 1048576)) MiB at $((offset / 1048576)) MiB"
done < <(python3 "$IMAGE_DIR/layout.py" offsets)

rm -f "$img"
truncate -s "$(python3 "$IMAGE_DIR/layout.py" size)" "$img"
python3 "$IMAGE_DIR/layout.py" sfdisk | sfdisk --quiet --no-reread --no-tell-kernel "$img"
while read -r name offset size type label; do
	dd if="$fs/$name.$type" of="$img" bs=1M seek=$((offset / 1048576)) conv=notrunc,sparse status=none
done < <(python3 "$IMAGE_DIR/layout.py" offsets)
echo "image: $img ($(($(stat -c %s "$img") / 1048576)) MiB, $(du -m "$img" | cut -f1) MiB allocated)"

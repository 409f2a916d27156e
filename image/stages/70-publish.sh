#!/usr/bin/env bash
# Stage 70: what installers download: .img.xz, .img.bmap, SHA256SUMS, and manifest.json.
. "$(dirname "$0")/common.sh"
img="$BUILD/$IMG_NAME.img"
stage "bmap and manifest"
bmaptool -q create -o "$BUILD/$IMG_NAME.img.bmap" "$img"
python3 "$IMAGE_DIR/manifest.py" "$WORK/rootfs" --version "$VERSION" --commit "$COMMIT" \
	--source-date-epoch "$SOURCE_DATE_EPOCH" --kernel "$(cat "$WORK/kernel/version")" \
	> "$BUILD/manifest.json"
stage "compress (xz)"
rm -f "$img.xz"
xz -T2 -6 --keep "$img"
touch -d "@$SOURCE_DATE_EPOCH" "$img.xz"
(cd "$BUILD" && sha256sum "$IMG_NAME.img.xz" "$IMG_NAME.img.bmap" manifest.json > SHA256SUMS)
echo "$IMG_NAME.img.xz: $(($(stat -c %s "$img.xz") / 1048576)) MiB" \
	"(image $(($(stat -c %s "$img") / 1048576)) MiB)"

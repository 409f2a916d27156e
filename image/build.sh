#!/usr/bin/env bash
# `make image`: build the flashable Totem image from Debian's archive, stage by stage.
#   10 host tools + binfmt   20 Debian root (mmdebstrap; cached in /var/cache/totem)
#   30 unpack                40 configure (appliance, overlay, units)
#   50 boot partitions       60 filesystems + GPT      70 bmap, manifest, xz, SHA256SUMS
# Run as root. Outputs go to build/ (or $BUILD); the stages print progress with the time of day.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "make image must run as root (it installs its host tools and builds root-owned files)" >&2
	exit 1
fi
. "$here/stages/common.sh" # where the outputs go ($BUILD)
start=$(date +%s)
# A stage is one script, or a folder of numbered steps (NN-name/run.sh) each beside the
# files it installs, run in order.
for stage in 10-host-tools 20-rootfs 30-unpack 40-configure 50-boot 60-image 70-publish; do
	if [ -d "$here/stages/$stage" ]; then
		for step in "$here/stages/$stage"/[0-9][0-9]-*/run.sh; do
			echo "  - $stage/$(basename "$(dirname "$step")")"
			bash "$step"
		done
	else
		bash "$here/stages/$stage.sh"
	fi
done
echo
echo "image built in $(( $(date +%s) - start )) s:"
ls -l "$BUILD"/*.img.xz "$BUILD"/*.bmap

#!/usr/bin/env bash
# Stage 40, step 08: Byte-compile the appliance for the device's python3 (hash-checked pyc:
#  reproducible).
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
chroot "$ROOT" python3 -m compileall -q --invalidation-mode unchecked-hash \
	/usr/lib/python3/dist-packages/appliance /usr/lib/python3/dist-packages/wire

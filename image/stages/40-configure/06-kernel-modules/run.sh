#!/usr/bin/env bash
# Stage 40, step 06: The kernel's modules for hardware a Pi-class totem cannot carry leave the
# root (dropped.txt; what a kept module needs stays). Step 07 rewrites modules.dep.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
kver=$(cat "$WORK/kernel/version")
python3 "$IMAGE_DIR/kernel_modules.py" "$ROOT/usr/lib/modules/$kver" "$(dirname "$0")/dropped.txt"

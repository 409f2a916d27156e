#!/usr/bin/env bash
# Stage 40, step 02: The overlay: systemd units and configuration from every area of the project.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
tar -C "$(dirname "$0")/files" --owner=0 --group=0 -cf - . | tar -C "$ROOT" -xf -

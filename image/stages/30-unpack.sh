#!/usr/bin/env bash
# Stage 30: unpack the cached Debian tarball into a fresh directory for this build's changes.
. "$(dirname "$0")/common.sh"
stage "unpack root filesystem"
rm -rf "$WORK/rootfs"
mkdir -p "$WORK/rootfs"
tar --numeric-owner --xattrs --xattrs-include='*' -xpf "$WORK/rootfs.tar" -C "$WORK/rootfs"
du -sh "$WORK/rootfs" | sed 's/^/root: /'

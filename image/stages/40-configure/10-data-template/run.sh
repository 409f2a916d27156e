#!/usr/bin/env bash
# Stage 40, step 10: The data partition's first content: the kiosk's directory and the persistent
#  journal.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
uid=$(awk -F: '$1 == "totem" {print $3}' "$ROOT/etc/passwd")
gid=$(awk -F: '$1 == "totem" {print $3}' "$ROOT/etc/group")
journal_gid=$(awk -F: '$1 == "systemd-journal" {print $3}' "$ROOT/etc/group")
rm -rf "$WORK/data"
install -d -m 0750 -o "$uid" -g "$gid" "$WORK/data"
install -d -m 2755 -o 0 -g "${journal_gid:-0}" "$WORK/data/journal"
touch -d "@$SOURCE_DATE_EPOCH" "$WORK/data" "$WORK/data/journal"
du -sh "$ROOT" | sed 's/^/root: /'

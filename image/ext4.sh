#!/usr/bin/env bash
# An ext4 filesystem as a file, from a directory (mkfs.ext4 -d: no loop mount), with the
# card's stable UUID and hash seed for NAME and the build's time: the same tree gives the
# same bytes. Used by stage 60 and by the update-size bench (image/update_bench.py).
#   ext4.sh NAME LABEL SIZE_BYTES SOURCE_DIR OUT_FILE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=$1 label=$2 size=$3 source=$4 out=$5
uuid_of() { python3 "$here/layout.py" stable-uuid "$1"; }
export E2FSPROGS_FAKE_TIME="${SOURCE_DATE_EPOCH:?}"  # reproducible superblock times
mkfs.ext4 -q -F -L "$label" -U "$(uuid_of "fs:$name")" -E "hash_seed=$(uuid_of "hash:$name")" \
	-m 1 -b 4096 -d "$source" "$out" $((size / 1024))K

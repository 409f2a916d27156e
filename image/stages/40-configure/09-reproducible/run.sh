#!/usr/bin/env bash
# Stage 40, step 09: Reproducibility: nothing newer than SOURCE_DATE_EPOCH.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
find "$ROOT" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"

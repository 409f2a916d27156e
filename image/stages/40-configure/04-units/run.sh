#!/usr/bin/env bash
# Stage 40, step 04: Units: enable what has an [Install] section in the overlay; mask what a kiosk
#  must not have.
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
units=$(grep -l '^\[Install\]' "$(dirname "$0")"/../02-overlay/files/usr/lib/systemd/system/*.{service,timer,path,socket} 2>/dev/null |
	xargs -r -n1 basename | grep -v '@' || true)
# shellcheck disable=SC2086
systemctl --root="$ROOT" enable $units systemd-networkd.service systemd-timesyncd.service 2>&1 |
	grep -v '^Created symlink' || true
systemctl --root="$ROOT" mask getty@tty1.service autovt@.service ctrl-alt-del.target \
	systemd-firstboot.service 2>&1 | grep -v '^Created symlink' || true
systemctl --root="$ROOT" set-default multi-user.target 2>&1 | grep -v '^Created symlink' || true
echo "enabled: $units"

#!/usr/bin/env bash
# What Debian packages would add to the compressed image, measured before adding them:
#   bash image/package_cost.sh PACKAGE...
# Resolves them (no recommends, like mmdebstrap) against the packages of the root last built
# (build/work/rootfs), downloads the new ones for trixie arm64, unpacks them with the image's
# doc/man/locale filters (stages/20-rootfs.sh) and compresses them as stage 70 does (xz -6).
# Prints the package count, the unpacked size and the xz size: the image's growth within a
# few hundred kB (the ext4 and partition overhead is not counted).
. "$(dirname "$0")/stages/common.sh"
[ $# -gt 0 ] || { sed -n 2,2p "$0"; exit 2; }
status="$WORK/rootfs/var/lib/dpkg/status"
[ -s "$status" ] || { echo "no root built yet: run make image first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/etc/apt/apt.conf.d "$tmp"/etc/apt/preferences.d "$tmp"/var/lib/apt/lists/partial \
	"$tmp"/cache/archives/partial "$CACHE/debs"
echo "deb [trusted=yes] $MIRROR $SUITE main" > "$tmp/etc/apt/sources.list"
cat > "$tmp/apt.conf" <<CONF
Dir "$tmp/";
Dir::State::status "$status";
Dir::Cache "$tmp/cache";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
APT::Install-Recommends "false";
Acquire::Languages "none";
Acquire::AllowInsecureRepositories "true";
CONF
export APT_CONFIG="$tmp/apt.conf"
apt-get update -qq 2>/dev/null
new=$(apt-get install -s -qq --allow-unauthenticated "$@" | awk '/^Inst/{print $2}')
(cd "$CACHE/debs" && apt-get download -qq --allow-unauthenticated $new 2>/dev/null)
mkdir "$tmp/root"
for package in $new; do
	dpkg-deb -x "$(ls "$CACHE/debs/${package}_"*_{arm64,all}.deb 2>/dev/null | sort -V | tail -1)" \
		"$tmp/root"
done
cd "$tmp/root"
find usr/share/doc -type f ! -name copyright -delete 2>/dev/null || true
rm -rf usr/share/man usr/share/info
find usr/share/locale -mindepth 1 -maxdepth 1 ! -name fr ! -name locale.alias \
	-exec rm -rf {} + 2>/dev/null || true
echo "$*: $(echo $new | wc -w) new packages, $(du -sm . | cut -f1) MB unpacked," \
	"$(tar c . | xz -6 -T2 | wc -c | awk '{printf "%.1f", $1 / 1e6}') MB xz"

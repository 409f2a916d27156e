# Shared by the build stages (sourced). Paths, progress output and the build's identity.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IMAGE_DIR="$REPO/image"
BUILD="${BUILD:-$REPO/build}"
WORK="$BUILD/work"
CACHE="${TOTEM_CACHE:-/var/cache/totem}"
SUITE=trixie
MIRROR="${TOTEM_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$BUILD" "$WORK" "$CACHE"

# The build's identity: the commit and its date make the image reproducible.
COMMIT=${TOTEM_COMMIT:-$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || echo 1767225600)
fi
export SOURCE_DATE_EPOCH
VERSION=$(grep -m1 '^version' "$REPO/pyproject.toml" | sed 's/.*"\(.*\)".*/\1/')
# The release, ordered (appliance/update/version.py): the project version and a build number
# that only grows, the vendor CI's TOTEM_BUILD_NUMBER or else the commit count (a shallow
# clone has a short history: set TOTEM_BUILD_NUMBER there).
BUILD_NUMBER=${TOTEM_BUILD_NUMBER:-$(git -C "$REPO" rev-list --count HEAD 2>/dev/null || echo 0)}
RELEASE="$VERSION+$BUILD_NUMBER"
IMG_NAME="totem-$VERSION-rpi4-arm64"

stage() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

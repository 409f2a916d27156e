#!/usr/bin/env bash
# Stage 40, step 01: The appliance package and the wire contract onto Debian's python3 (no pip on
#  the device).
. "$(dirname "$0")/../../common.sh"
ROOT="$WORK/rootfs"
stage "configure root filesystem"
site="$ROOT/usr/lib/python3/dist-packages"
rm -rf "$site/appliance" "$site/wire"
tar -C "$REPO" --exclude='__pycache__' --exclude='*.pyc' --owner=0 --group=0 -cf - appliance wire |
	tar -C "$site" -xf -
install -d "$ROOT/usr/share/doc/totem"
install -m 644 "$REPO/README.md" "$ROOT/usr/share/doc/totem/README.md"
cat > "$ROOT/usr/bin/totem" <<'PY'
#!/usr/bin/python3
import sys

from appliance.cli import main

sys.exit(main())
PY
chmod 755 "$ROOT/usr/bin/totem"
install -d "$ROOT/usr/lib/totem"
printf '{"version": "%s", "release": "%s", "source_date_epoch": %s, "commit": "%s"}\n' \
	"$VERSION" "$RELEASE" "$SOURCE_DATE_EPOCH" "$COMMIT" > "$ROOT/usr/lib/totem/build-info.json"
# What the updater compares an offered release with, and the slots it switches between.
echo "$RELEASE" > "$ROOT/usr/lib/totem/version"
python3 "$IMAGE_DIR/layout.py" slots > "$ROOT/usr/lib/totem/slots.json"
# The certificate update bundles must be signed with (image/signing.sh): RAUC's keyring.
. "$IMAGE_DIR/signing.sh"
signing_key
install -D -m 644 "$SIGNING_CERT" "$ROOT/etc/rauc/keyring.pem"
# RAUC: the two slot pairs and the handlers that drive the Pi's tryboot (image/layout.py).
python3 "$IMAGE_DIR/layout.py" rauc-system-conf > "$ROOT/etc/rauc/system.conf"

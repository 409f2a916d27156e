#!/usr/bin/env bash
# The key that signs update bundles, and the certificate every image trusts (RAUC's keyring).
# A vendor or town hall sets TOTEM_SIGNING_KEY and TOTEM_SIGNING_CERT (PEM files); otherwise a
# development key is made once and kept outside the clone, in $CACHE/keys, so every build on
# this machine signs with the same key and images built here accept each other's bundles.
# Sourced by the stages: sets SIGNING_KEY and SIGNING_CERT.
signing_key() {
	if [ -n "${TOTEM_SIGNING_KEY:-}" ] || [ -n "${TOTEM_SIGNING_CERT:-}" ]; then
		SIGNING_KEY=${TOTEM_SIGNING_KEY:?TOTEM_SIGNING_CERT is set: set TOTEM_SIGNING_KEY too}
		SIGNING_CERT=${TOTEM_SIGNING_CERT:?TOTEM_SIGNING_KEY is set: set TOTEM_SIGNING_CERT too}
		[ -r "$SIGNING_KEY" ] || { echo "TOTEM_SIGNING_KEY $SIGNING_KEY is not readable" >&2; exit 1; }
		[ -r "$SIGNING_CERT" ] || { echo "TOTEM_SIGNING_CERT $SIGNING_CERT is not readable" >&2; exit 1; }
		return
	fi
	local keys="$CACHE/keys"
	SIGNING_KEY="$keys/development.key.pem"
	SIGNING_CERT="$keys/development.cert.pem"
	if [ ! -s "$SIGNING_KEY" ] || [ ! -s "$SIGNING_CERT" ]; then
		install -d -m 700 "$keys"
		openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -sha256 \
			-subj "/O=Totem/CN=Totem development update key ($(hostname))" \
			-keyout "$SIGNING_KEY.new" -out "$SIGNING_CERT.new" 2>/dev/null
		chmod 600 "$SIGNING_KEY.new"
		mv "$SIGNING_KEY.new" "$SIGNING_KEY"
		mv "$SIGNING_CERT.new" "$SIGNING_CERT"
		echo "made a development signing key: $SIGNING_KEY (not for totems in service)"
	fi
}

"""The contract between a kiosk and its town hall's hub, owned by neither side.

`protocol`: what both sides sign and how (headers, canonical JSON, Ed25519 keys);
`signing`: a kiosk's signed request headers; `content`: the shape of the town hall's
content and the demo content; `release`: release versions and the signed release
manifest. Only `cryptography` is needed: the hub installs this
package without any of the kiosk's device libraries.
"""

# Totem entry points. `make run` and `make test` install what they need themselves:
# the venv always, Debian packages too when run as root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= run-data

# Debian packages, installed when root. What `make run` needs: headers to build
# dbus-python, the UI's fonts, the public suffix list the allow-list checks against.
RUN_PACKAGES := libdbus-1-dev libglib2.0-dev pkg-config python3-venv \
	fonts-dejavu-core fonts-dejavu-extra publicsuffix
# What `make test` needs besides: nftables/dnsmasq/iproute2 for the network-namespace tests,
# dbus-daemon + systemd-timedated for the clock check's test, postgresql for the hub's
# PostgreSQL test (it starts its own cluster), zstd for the image's initrd tests, FAT and
# ext4 tools for the updater's tests on real filesystems, squashfs-tools for the hub's
# reading of a release bundle's manifest, rauc and openssl for the install from a stick,
# Debian's WebKitGTK with python3-gi and python3-idna, under cage (with the Xwayland it
# starts), as the image's browser has them.
TEST_PACKAGES := zstd nftables dnsmasq-base iproute2 iputils-ping netcat-openbsd \
	dbus-daemon systemd postgresql dosfstools mtools e2fsprogs squashfs-tools rauc openssl \
	gir1.2-webkit-6.0 python3-gi python3-idna cage xwayland

# Install the Debian packages named in $(1) that are missing (as root only).
define apt_install
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then \
			echo "Installing Debian packages:" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		fi; \
	fi
endef

.PHONY: setup run test fuzz lint screenshots bench image bundle system-test clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(call apt_install,$(RUN_PACKAGES))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[kiosk,hub,dev]'
	@touch $@

run: setup
	@$(BIN)/python -m demo --data-dir $(DATA_DIR)

test: setup
	$(call apt_install,$(TEST_PACKAGES))
	$(BIN)/pytest -q

# The fuzz tests of `make test` (recordings, totem.toml, signed content, the hub's requests),
# with 50 times the examples: about five minutes on 2 cores.
FUZZ_EXAMPLES ?= 10000
fuzz: setup
	TOTEM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q \
		tests/unit/test_fuzz_hostile.py tests/unit/test_touch_fuzz.py

lint: setup
	$(BIN)/ruff check appliance hub wire demo tests image
	$(BIN)/ruff format --check appliance hub wire demo tests image

# The kiosk's screens (pygame, no display needed) and the agents' pages (headless
# Chromium, installed here when root).
screenshots: setup
	$(BIN)/python -m appliance.ui.screenshots docs/screenshots
	@if ! command -v chromium >/dev/null && [ "$$(id -u)" = 0 ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
	$(BIN)/python -m hub.screenshots docs/screenshots

bench: setup
	$(BIN)/totem bench
	$(BIN)/python -m demo.sync_bench
	$(BIN)/python -m hub.bench
	$(BIN)/python image/update_bench.py

# The flashable image (as root; installs its own host tools; Debian packages cached in
# /var/cache/totem) and its QEMU system test. See README "Building the image".
image:
	bash image/build.sh

# The signed RAUC update bundle of the image just built (build/totem-<release>-rpi4-arm64.raucb).
bundle:
	bash image/bundle.sh

system-test: setup
	TOTEM_SYSTEM_TESTS=1 $(BIN)/pytest -q -s tests/system

clean:
	rm -rf $(VENV) build $(DATA_DIR)

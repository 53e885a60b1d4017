#!/usr/bin/env bash
# Installs the Debian libraries WeasyPrint needs to write the board report's PDF (pango) and
# poppler-utils, whose pdftotext the tests use to read the PDF back; skipped if present.
set -euo pipefail
command -v pdftotext >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing pango and poppler-utils from the distribution's packages (PDF reports)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
  libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null
command -v pdftotext

#!/usr/bin/env bash
# Installs the Debian libraries WeasyPrint needs for PDFs (pango) and pdftotext (poppler-utils),
# which the tests use to read PDFs back, if they are not there already.
set -euo pipefail
command -v pdftotext >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing pango and poppler-utils from the distribution's packages (PDFs)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null

#!/usr/bin/env bash
# Installs everything dossier needs on a fresh machine, then the package itself into .venv.
#   scripts/setup.sh            runtime (+ the example generator's writers)
#   scripts/setup.sh test       runtime + test dependencies
# Debian packages are installed with apt-get when we are root; otherwise the missing ones are
# named and dossier says at run time what it cannot do without them.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-examples}"

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have soffice || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
have pdftoppm || missing+=(poppler-utils poppler-data)
have tesseract || missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || missing+=(tesseract-ocr-chi-sim)
have catdoc || missing+=(catdoc)
have rg || missing+=(ripgrep)
(have fc-list && fc-list :lang=zh | grep -q .) || missing+=(fonts-noto-cjk fontconfig)
# The workbench's browser tests drive Debian's Chromium (never a downloaded browser).
if [ "$extras" = test ]; then
  { have chromium && have chromedriver; } || missing+=(chromium chromium-driver)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: missing system packages (install them as root: apt-get install ${missing[*]});" >&2
    echo "         dossier will say which formats or features it cannot handle without them." >&2
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && have apt-get; then
      apt-get install -y -qq python3-venv >/dev/null && "$PY" -m venv .venv
    else
      echo "error: cannot create a virtual environment; install python3-venv" >&2; exit 1
    fi
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q --disable-pip-version-check ".[${extras}]"
echo "dossier installed in .venv ($(.venv/bin/dossier --version))"

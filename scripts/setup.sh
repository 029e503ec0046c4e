#!/usr/bin/env bash
# Set-up for a fresh Debian/Ubuntu machine: system packages (as root), then .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-noto-cjk: Noto Sans/Serif CJK SC (the fallbacks of 黑体, 仿宋, 宋体, 小标宋); fonts-arphic-ukai: AR PL UKai
# (楷体); fonts-liberation2: Liberation Serif (Times New Roman's metrics: the Latin face of the English edition and of
# digits); libreoffice-writer-nogui: the tests open bulletin.docx in a real office suite
DEB_PACKAGES=(fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  python3-venv chromium libreoffice-writer-nogui)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Run as root:  sudo apt-get install -y ${missing[*]}" >&2
    # python3-venv may be provided another way (pyenv, conda); fonts are required.
    if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then exit 1; fi
  fi
fi

# The Fandol fonts (FandolFang 仿宋, FandolHei 黑体, FandolKai 楷体, FandolSong 宋体; GPL with the font
# exception, GB2312 coverage): the free 仿宋 of the PDF body. Debian ships them only inside texlive-lang-chinese
# (49 MB, with the TeX stack as dependencies), so the package is downloaded, not installed, and its six .otf
# files are copied to /usr/local/share/fonts/fandol (about 35 MB; a few seconds). Without them the PDF falls
# back to Noto Serif CJK SC (docs/DECISIONS.md).
FANDOL_DIR=/usr/local/share/fonts/fandol
if ! fc-list 2>/dev/null | grep -q "FandolFang"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
    echo "Installing the Fandol fonts into $FANDOL_DIR"
    tmp=$(mktemp -d)
    ( cd "$tmp" && apt-get download -qq texlive-lang-chinese 2>/dev/null ) || {
      apt-get update -qq && ( cd "$tmp" && apt-get download -qq texlive-lang-chinese 2>/dev/null ); } || true
    deb=$(ls "$tmp"/texlive-lang-chinese_*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then
      dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards --no-anchored \
        'fandol/FandolFang-Regular.otf' 'fandol/FandolHei-*.otf' 'fandol/FandolKai-Regular.otf' 'fandol/FandolSong-*.otf'
      mkdir -p "$FANDOL_DIR"
      find "$tmp" -name 'Fandol*.otf' -exec cp {} "$FANDOL_DIR"/ \;
      chmod 644 "$FANDOL_DIR"/*.otf
      fc-cache -f "$FANDOL_DIR" >/dev/null 2>&1 || true
    else
      echo "Could not download texlive-lang-chinese: the PDF uses Noto Serif CJK SC for 仿宋" >&2
    fi
    rm -rf "$tmp"
  else
    echo "The Fandol fonts (free 仿宋) are missing: the PDF uses Noto Serif CJK SC. As root, run scripts/setup.sh" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11 or newer is required ($PYTHON is $("$PYTHON" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install -q -e ".[test,lab]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import bulletin, papermill, weasyprint, python_calamine, opencc, jupyterlab"
# The project's Jupyter kernel (this .venv's Python), for JupyterLab (make lab) and the notebooks
.venv/bin/python -m ipykernel install --sys-prefix --name bulletin --display-name "招商通报 (bulletin)" >/dev/null
echo "Environment ready: .venv (JupyterLab: make lab)"

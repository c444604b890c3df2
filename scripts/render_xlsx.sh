#!/bin/sh
# Render an Excel workbook as a user would print it: LibreOffice headless → PDF → one PNG per page, in out/.
# Usage: scripts/render_xlsx.sh [workbook.xlsx]   (default: exports the seed example to out/futian-2020.xlsx)
# Needs: apt-get install --no-install-recommends libreoffice-calc poppler-utils fonts-wqy-microhei
#        fonts-crosextra-carlito (metric twin of Calibri, so column widths come out as in Excel)
set -eu
for tool in soffice pdftoppm; do
    command -v $tool >/dev/null || { echo "缺少 $tool：apt-get install --no-install-recommends libreoffice-calc poppler-utils" >&2; exit 1; }
done
cd "$(dirname "$0")/.."
mkdir -p out
if [ $# -ge 1 ]; then
    book=$1
else
    book=out/futian-2020.xlsx
    uv run python main.py export resources/examples/futian-2020.json --xlsx "$book"
fi
name=$(basename "$book" .xlsx)
rm -f "out/$name.pdf" "out/$name"-page-*.png
# a private profile, so a running LibreOffice or a first-start dialog cannot get in the way
soffice -env:UserInstallation=file:///tmp/render-xlsx-profile --headless --convert-to pdf --outdir out "$book" >/dev/null
pdftoppm -png -r 70 "out/$name.pdf" "out/$name-page"
ls -1 "out/$name.pdf" "out/$name"-page-*.png

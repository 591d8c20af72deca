#!/bin/sh
# Render a result workbook to PDF and one PNG per page with LibreOffice (headless) and poppler,
# to look at what a planner sees:  tools/render.sh examples/plant-plan.xlsx [OUTDIR] [DPI]
# Needs: apt-get install -y libreoffice-calc-nogui poppler-utils
set -eu
workbook=$1
outdir=${2:-render}
dpi=${3:-60}
mkdir -p "$outdir"
name=$(basename "$workbook" .xlsx)
# A private profile: no clash with a LibreOffice already running, nothing left in the user's profile.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation=file://"$profile" --headless --calc \
    --convert-to pdf --outdir "$outdir" "$workbook" >/dev/null
pdftoppm -png -r "$dpi" "$outdir/$name.pdf" "$outdir/$name"
ls "$outdir"/"$name"*.png
# docs/dashboard.png is the Dashboard's print area of the example's result, at 150 dpi:
#   pdftoppm -png -r 150 -f 1 -l 1 -x 100 -y 125 -W 1480 -H 520 OUTDIR/plant-plan.pdf dash

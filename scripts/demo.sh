#!/usr/bin/env bash
# The main job on an example city, from a fresh clone:
#   install → generate the example city's submissions → init → ingest → coverage → dossiers.
# Everything lands in demo/ (created anew each run; delete it when done).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh examples
export PATH="$PWD/.venv/bin:$PATH"
DOCS="${DEMO_DOCS:-150}"

rm -rf demo
mkdir -p demo
echo "== generating the example city (${DOCS} documents from ~30 departments) into demo/收到的材料"
python -m examples.city demo/收到的材料 --docs "$DOCS" --assessment-year 2026

echo "== dossier init demo/工作区"
dossier init demo/工作区 --system civilized-city --assessment-year 2026 --deadline 2026-05-26
cd demo/工作区

echo "== dossier ingest ../收到的材料   (extract, file under indicators, detect years and kind, OCR scans)"
dossier ingest ../收到的材料

echo "== dossier review --limit 5   (what a person should look at first)"
dossier review --limit 5

if dossier coverage --help >/dev/null 2>&1; then
  echo "== dossier coverage --missing --xlsx out/材料审核记录表.xlsx"
  dossier coverage --missing --xlsx out/材料审核记录表.xlsx
fi

echo "== dossier build   (one dossier per indicator, docx and pdf, plus 总目录)"
dossier build

echo "== dossier search 志愿服务 --limit 3"
dossier search 志愿服务 --limit 3

echo "== dossier status   (what is still missing, days to the deadline)"
dossier status

echo
echo "Done. Workspace: $PWD"
echo "  dossiers:      $PWD/out/卷宗 (总目录.xlsx lists every volume and its missing years)"
[ -f out/材料审核记录表.xlsx ] && echo "  record table:  $PWD/out/材料审核记录表.xlsx"
echo "  missing:       dossier coverage --missing   (which indicator lacks which year, and who owes it)"
echo "  try:           source .venv/bin/activate; cd demo/工作区; dossier search 垃圾分类"

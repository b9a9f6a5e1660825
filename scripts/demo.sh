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

echo "== dossier ingest ../收到的材料"
dossier ingest ../收到的材料
dossier status

echo "== dossier search 注册志愿者 --limit 3"
dossier search 注册志愿者 --limit 3

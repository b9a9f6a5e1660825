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
echo "== 生成示例城市（约 30 个部门的 ${DOCS} 份材料）到 demo/收到的材料"
python -m examples.city demo/收到的材料 --docs "$DOCS" --assessment-year 2026

echo "== dossier init demo/工作区"
dossier init demo/工作区 --system civilized-city --assessment-year 2026 --deadline 2026-05-26
cd demo/工作区

echo "== dossier ingest ../收到的材料   （提取文字、归入指标、识别年份和类型、识别扫描件）"
dossier ingest ../收到的材料

echo "== dossier review --limit 5   （最需要人看的文件）"
dossier review --limit 5

if dossier coverage --help >/dev/null 2>&1; then
  echo "== dossier coverage --missing --xlsx out/材料审核记录表.xlsx"
  dossier coverage --missing --xlsx out/材料审核记录表.xlsx
fi

echo "== dossier build   （每个指标一卷卷宗，docx 和 pdf，另有总目录）"
dossier build

echo "== dossier check   （材料质量：照片、说明报告、正式发文、年份）"
dossier check --by department | tail -n 12

echo "== dossier export online   （网上申报：每个指标一个上传文件夹和 清单.xlsx）"
dossier export online

echo "== dossier search 志愿服务 --limit 3"
dossier search 志愿服务 --limit 3

echo "== dossier status   （还缺什么，距截止还有几天）"
dossier status

echo "== dossier user add 演示 --role admin   （浏览器工作台的演示用户，密码 demo-2026）"
echo "demo-2026" | dossier user add 演示 --role admin --password-stdin

echo
echo "完成。工作区：$PWD"
echo "  卷宗：        $PWD/out/卷宗（总目录.xlsx 列出每一卷及其缺少的年份）"
[ -f out/材料审核记录表.xlsx ] && echo "  记录表：      $PWD/out/材料审核记录表.xlsx"
echo "  网上申报：    $PWD/out/网上申报（每个指标一个文件夹，清单.xlsx 列出全部文件）"
echo "  缺什么：      dossier coverage --missing   （哪个指标缺哪一年，由哪个部门补）"
echo "  试一试：      source .venv/bin/activate; cd demo/工作区; dossier search 垃圾分类"
echo "  工作台：      source .venv/bin/activate; cd demo/工作区; dossier serve"
echo "                然后在浏览器打开 http://127.0.0.1:8000/ ，用户名 演示，密码 demo-2026"

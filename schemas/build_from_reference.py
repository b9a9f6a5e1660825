"""Regenerate the built-in systems from the shared reference data (a developer's tool).

    python schemas/build_from_reference.py [--reference DIR]

Reads ``indicators.yaml`` and ``minors.yaml`` from the reference folder and writes
``civilized-city.yaml`` and ``minors.yaml`` beside this script, in the project's own
format (see system.schema.json). The YAML files are what ships; this script only
documents how they were made. Codes are kept exactly; ``lead_dept`` becomes
``lead_department``; ``evidence_kind: institutional`` is kept and counted as activity
material; keywords get the distinctive terms of the indicator's name added and lose
the survey words that every survey indicator shares.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere

from dossier.systems.model import derive_keywords  # noqa: E402

DEFAULT_REFERENCE = HERE.parents[1] / "shared" / "reference"

SYSTEMS = {
    "indicators.yaml": {
        "id": "civilized-city", "file": "civilized-city.yaml",
        "name": "全国文明城市测评体系", "version": "2009（重建）",
    },
    "minors.yaml": {
        "id": "minors", "file": "minors.yaml",
        "name": "未成年人思想道德建设工作测评体系", "version": "2010（重建）",
    },
}

# Words that name how an indicator is checked, not what it is about: every survey or
# inspection indicator has them, so a document containing "问卷" would be tagged to a
# dozen indicators. Dropped when the indicator keeps at least MIN_KEYWORDS others.
GENERIC_KEYWORDS = {
    "问卷", "问卷调查", "学生问卷", "家长问卷", "入户调查", "实地观察", "实地察看", "暗访",
    "媒体调查", "群众评价", "社会评价", "活动照片", "活动记录", "工作方案", "社区", "报纸", "电视台",
}
MIN_KEYWORDS = 4

def keywords_for(item: dict) -> list[str]:
    """Reference keywords, less the generic ones when enough remain, plus name terms."""
    ref = [str(k).strip() for k in item.get("keywords", []) if str(k).strip()]
    specific = [k for k in ref if k not in GENERIC_KEYWORDS]
    kept = specific if len(specific) >= MIN_KEYWORDS else ref
    out: list[str] = []
    for word in [*derive_keywords(item["name"]), *kept]:
        if word not in out:
            out.append(word)
    return out


def evidence_for(kind: str) -> list[str]:
    """statistics → [statistics]; activity and institutional (rules, plans) → [activity]."""
    return ["statistics"] if kind == "statistics" else ["activity"]


PROVENANCE = ("source", "ref", "ref_note", "analogue_ref", "seed_support")


def convert_indicator(item: dict) -> dict:
    out = {
        "code": item["code"], "name": item["name"], "standard": item["standard"],
        "methods": list(item["methods"]), "evidence": evidence_for(item["evidence_kind"]),
        "evidence_kind": item["evidence_kind"], "keywords": keywords_for(item),
        "lead_department": item["lead_dept"],
    }
    if item.get("lead_dept_now"):
        out["lead_department_now"] = item["lead_dept_now"]
    if item.get("co_lead"):
        out["co_lead_department"] = item["co_lead"]
    if item.get("evidence_window"):
        out["evidence_window"] = item["evidence_window"]
    out.update((k, item[k]) for k in PROVENANCE if item.get(k))
    return out


def convert_part(part: dict) -> dict:
    out = {"code": part["code"], "name": part["name"]}
    out.update((k, part[k]) for k in ("source", "ref", "name_source") if part.get(k))
    out["contents"] = [
        {"code": c["code"], "name": c["name"],
         "indicators": [convert_indicator(i) for i in c["indicators"]]}
        for c in part["contents"]
    ]
    return out


def convert(reference: dict, meta: dict) -> dict:
    description = (f"{reference['title']}。来源字段 source: public 的条目有公开文本佐证（见 ref），"
                   "source: inferred 的条目为重建，不是原文；正式使用前请用本地任务分解表核对或导入。")
    return {
        "id": meta["id"], "name": meta["name"], "version": meta["version"],
        "description": description,
        "version_note": reference.get("version_note", ""),
        "sources": reference.get("sources", {}),
        "parts": [convert_part(p) for p in reference["parts"]],
    }


def write(data: dict, path: Path, origin: str) -> None:
    header = (f"# 由 build_from_reference.py 从参考数据 {origin} 生成，之后可手工维护。\n"
              "# 格式见 system.schema.json；source: inferred 的条目为重建，不是原文。\n")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(header + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args(argv)
    for source, meta in SYSTEMS.items():
        reference = yaml.safe_load((args.reference / source).read_text(encoding="utf-8"))
        data = convert(reference, meta)
        write(data, HERE / meta["file"], source)
        indicators = [i for p in data["parts"] for c in p["contents"] for i in c["indicators"]]
        review = sum("材料审核" in i["methods"] for i in indicators)
        print(f"{meta['file']}: {len(data['parts'])} parts, "
              f"{sum(len(p['contents']) for p in data['parts'])} contents, "
              f"{len(indicators)} indicators, {review} material review")
    return 0


if __name__ == "__main__":
    sys.exit(main())

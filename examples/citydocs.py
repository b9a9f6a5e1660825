"""The example city's vocabulary and documents: its departments, the indicator system it
works against, document titles, and the rendering of one planned document into a file.

`examples.city` plans the whole city with one seeded RNG; `render` then turns each planned
`DocSpec` into bytes with an RNG of its own (seed/index), so files can be written in any order
or in parallel and still come out identical.
"""
from __future__ import annotations

import datetime as dt

import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from examples import docgen
from examples.compose import person
from examples.photos import save_photo, scene

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_FILE = ROOT / "schemas" / "civilized-city.yaml"
DEV_SYSTEM_FILE = Path("/work/shared/reference/indicators.yaml")   # only while schemas/ has no copy
CITY = "云岚市"           # a city that does not exist, so no text can be mistaken for a real one

DEPARTMENTS = [
    "市委宣传部", "市文明办", "市统计局", "市城管局", "市公安局", "市教育局", "团市委", "市民政局",
    "市生态环境局", "市卫健委", "市文旅局", "市市场监管局", "市住建局", "市交通运输局", "市司法局",
    "市总工会", "市妇联", "市科技局", "市商务局", "市应急管理局", "市水务局", "市自然资源局", "市人社局",
    "市财政局", "市发改委", "市政务服务中心", "市委政法委", "市委组织部", "市关工委", "市图书馆",
    "市纪委监委", "市政府办公室", "市体育局",
]

# Old or informal names found in indicator tables, mapped to today's department folders.
_ALIASES = {
    "市文广新局": "市文旅局", "市文化局": "市文旅局", "市环保局": "市生态环境局", "市工商局": "市市场监管局",
    "市质监局": "市市场监管局", "市物价局": "市市场监管局", "市食品药品监管局": "市市场监管局",
    "市卫生局": "市卫健委", "市爱卫办": "市卫健委", "市安监局": "市应急管理局", "市政府应急办": "市应急管理局",
    "市政府法制办": "市司法局", "市普法办": "市司法局", "市园林局": "市城管局", "市纪委": "市纪委监委",
    "市监察局": "市纪委监委", "市科协": "市科技局", "市委": "市文明办", "市文明委": "市文明办",
    "市政务公开办": "市政府办公室", "市信息中心": "市政府办公室", "市双拥办": "市民政局", "市综治办": "市委政法委",
    "市妇儿工委办": "市妇联", "市委外宣办": "市委宣传部", "市网信办": "市委宣传部", "市慈善总会": "市民政局",
    "市残联": "市民政局", "市信访局": "市委政法委", "市见义勇为基金会": "市委政法委", "市农委": "市文明办",
    "市房管局": "市住建局", "市信用办": "市发改委", "市节能办": "市发改委", "市效能办": "市纪委监委",
}

# Words in an indicator that make a department a likely contributor besides the lead one.
_TOPICS = {
    "市图书馆": ("阅读", "图书", "藏书", "读书"), "市关工委": ("未成年人", "青少年", "德育", "校外", "心理"),
    "市总工会": ("职工", "劳模", "民主管理"), "市妇联": ("妇女", "儿童", "家庭", "家风"),
    "团市委": ("志愿", "青年", "雷锋"), "市统计局": ("GDP", "收入", "支出", "恩格尔", "统计"),
    "市财政局": ("经费", "财政", "投入"), "市人社局": ("就业", "社会保险", "社保"),
    "市水务局": ("水质", "污水", "供水"), "市自然资源局": ("绿地", "绿化", "公园"),
    "市发改委": ("信用", "价格", "节能"), "市商务局": ("诚信经营", "农贸市场", "商贸"),
    "市交通运输局": ("公共交通", "公交", "出租"), "市应急管理局": ("应急", "防灾", "安全生产"),
    "市科技局": ("科普", "研发", "高新"), "市卫健委": ("卫生", "健康", "控烟", "医疗"),
    "市体育局": ("健身", "体育"), "市政务服务中心": ("政务服务", "审批", "窗口"),
    "市教育局": ("学校", "校园", "教育"), "市民政局": ("社区", "救助", "慈善", "低保"),
    "市公安局": ("治安", "交通", "消防", "禁毒"), "市城管局": ("市容", "环卫", "公厕", "背街小巷"),
    "市住建局": ("住房", "无障碍", "市政"), "市文旅局": ("文化", "遗产", "文物", "旅游"),
    "市委宣传部": ("宣传", "公益广告", "网络文明", "理论"), "市司法局": ("普法", "法律", "调解"),
    "市委政法委": ("综治", "见义勇为", "矛盾纠纷"), "市市场监管局": ("食品", "质量", "消费者", "知识产权"),
    "市生态环境局": ("环境", "空气", "噪声", "排放"), "市纪委监委": ("廉政", "反腐"),
    "市委组织部": ("干部", "党组织"), "市政府办公室": ("信息公开", "政务公开", "门户网站", "建议提案"),
}

_NOISE_TITLES = ["关于{y}年元旦春节期间值班安排的通知", "{d}{y}年办公用品采购计划", "关于调整机关食堂就餐时间的通知",
                 "{d}{y}年固定资产清查情况报告", "关于{y}年度机关车辆管理的通知", "{y}年机关工会活动安排"]
_TITLES = {
    "通知": ["关于开展{y}年{k}工作的通知", "关于进一步加强{n}工作的通知", "关于印发《{y}年{n}工作要点》的通知"],
    "实施方案": ["{c}{y}年{n}工作实施方案", "{y}年{k}专项行动方案"],
    "工作总结": ["{d}{y}年{n}工作总结", "{y}年{k}工作情况汇报", "关于{y}年{n}工作开展情况的报告"],
    "简报": ["{n}工作简报（{y}年第{i}期）", "{y}年{k}工作信息"],
    "会议纪要": ["{y}年{n}工作推进会会议纪要", "{n}专题会议纪要（{y}年）"],
}
_STAT_TITLES = ["{y}年{n}统计分析报告", "关于{y}年{n}有关数据的报告", "{y}年{k}统计数据", "{d}关于{y}年{k}情况的统计报告"]
_SHEET_TITLES = ["{c}{y}年{n}统计表", "{y}年度{n}情况统计表", "{d}{y}年{k}数据汇总表", "{y}年{k}统计台账"]
_LEDGER_TITLES = ["{y}年{k}活动台账", "{d}{y}年{n}工作台账", "{y}年{k}活动开展情况登记表"]
_MEASURES = ["数量", "总数", "完成数", "覆盖率", "参与人次", "投入资金", "达标率"]
_UNITS = ["个", "人", "人次", "场", "万元", "%", "家", "处", "次"]
_PLACES = ["市民广场", "社区服务中心", "市图书馆", "人民公园", "各区街道", "新时代文明实践中心", "市体育中心"]
_ACTIVITIES = ["主题活动", "宣传活动", "志愿服务", "专题培训", "集中行动", "现场推进会"]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    keywords: tuple[str, ...]
    lead_department: str
    evidence: tuple[str, ...]      # "statistics" and/or "activity"
    content: str = ""
    material_review: bool = True


def _kinds(item: dict) -> tuple[str, ...]:
    raw = item.get("evidence") or item.get("evidence_kind") or "activity"
    kinds: list[str] = []
    for value in [raw] if isinstance(raw, str) else raw:
        # Rules and plans (institutional) count as activity material, as the reference notes say.
        kind = "statistics" if str(value).startswith(("statistic", "统计")) else "activity"
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def load_system(path: Path | None = None) -> tuple[str, list[Indicator]]:
    """The material-review indicators of the civilized-city system (project copy first)."""
    path = path or (SYSTEM_FILE if SYSTEM_FILE.exists() else DEV_SYSTEM_FILE)
    if not Path(path).exists():
        raise RuntimeError(f"no indicator system found: expected {SYSTEM_FILE}")
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    indicators = []
    for part in data.get("parts", []):
        for content in part.get("contents", []):
            for item in content.get("indicators", []):
                methods = item.get("methods") or []
                review = item.get("material_review", "材料审核" in methods if methods else True)
                if not review:
                    continue
                indicators.append(Indicator(
                    code=str(item["code"]), name=str(item["name"]),
                    keywords=tuple(str(k) for k in item.get("keywords") or ()),
                    lead_department=str(item.get("lead_department") or item.get("lead_dept") or "市文明办"),
                    evidence=_kinds(item), content=str(content.get("code", "")), material_review=True))
    if not indicators:
        raise RuntimeError(f"{path}: no material-review indicators found")
    return str(data.get("id") or Path(path).stem), indicators


def resolve_department(name: str) -> str:
    """A department folder for a lead-department text such as "市司法局（普法办）"."""
    base, *inner = re.split(r"[（(]", name, maxsplit=1)
    candidates = [base.strip()] + re.split(r"[、，,；;）)\s]+|协同|协调|提供数据", inner[0] if inner else "")
    for candidate in filter(None, (c.strip() for c in candidates)):
        if candidate in DEPARTMENTS:
            return candidate
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        prefix = [d for d in DEPARTMENTS if candidate.startswith(d)]
        if prefix:
            return max(prefix, key=len)
    return "市文明办"


def topic_departments(ind: Indicator) -> list[str]:
    text = ind.name + "".join(ind.keywords)
    return [dept for dept, words in _TOPICS.items() if any(w in text for w in words)]


def issuer_name(dept: str) -> str:
    if dept.startswith("市委"):
        return f"中共{CITY}委{dept[2:]}"
    if dept == "团市委":
        return f"共青团{CITY}委员会"
    return CITY + dept.removeprefix("市")


def title_for(rng: random.Random, ind: Indicator | None, kind: str | None, years: tuple[int, ...], fmt: str,
              dept: str) -> tuple[str, str]:
    """(genre, title) of a document; the title names its year(s) and topic like offices do."""
    span = f"{years[0]}—{years[-1]}" if len(years) > 1 else str(years[0])
    if ind is None:
        return "事务", rng.choice(_NOISE_TITLES).format(y=span, d=dept)
    slots = {"c": CITY, "y": span, "d": dept, "n": ind.name, "k": rng.choice(ind.keywords or (ind.name,)),
             "i": rng.randint(1, 24)}
    if kind == "statistics":
        return "统计分析", rng.choice(_SHEET_TITLES if fmt in ("xlsx", "xls") else _STAT_TITLES).format(**slots)
    if fmt in ("xlsx", "xls"):
        return "简报", rng.choice(_LEDGER_TITLES).format(**slots)
    genre = rng.choice(list(_TITLES))
    return genre, rng.choice(_TITLES[genre]).format(**slots)


_FORMAT = {"lopdf": "pdf", "imgpdf": "pdf"}
_MAKER = {"docx": "python-docx", "pdf": "fpdf2", "lopdf": "libreoffice", "doc": "libreoffice", "xlsx": "openpyxl",
          "xls": "xlwt", "txt": "gb18030-text", "png": "pillow", "imgpdf": "pillow", "jpg": "camera", "heic": "camera"}
PHOTO_FORMATS = ("jpg", "heic")


@dataclass
class DocSpec:
    """One planned file of the city; `render` writes it, `manifest_entry` describes it."""

    index: int
    relpath: str
    fmt: str                 # docx pdf lopdf doc xlsx xls txt png imgpdf jpg heic
    genre: str
    title: str
    codes: tuple[str, ...]
    years: tuple[int, ...]
    kind: str | None
    department: str
    words: tuple[str, ...]
    doc_number: str | None
    issuer: str
    date: str
    role: str                # main outside noise scan photo broken duplicate
    header_code: str | None = None
    extra_words: tuple[str, ...] = ()    # a second indicator's name and keywords, if any
    broken: str | None = None
    duplicate_of: str | None = None

    def retarget(self, fmt: str, ext: str, used: set[str]) -> None:
        """Switch to another format (and extension), keeping the path unique."""
        used.discard(self.relpath)
        stem = self.relpath.rsplit(".", 1)[0]
        candidate, n = f"{stem}.{ext}", 2
        while candidate in used:
            candidate, n = f"{stem}（{n}）.{ext}", n + 1
        used.add(candidate)
        self.fmt, self.relpath = fmt, candidate

    def manifest_entry(self) -> dict:
        return {"indicators": list(self.codes), "years": list(self.years), "kind": self.kind,
                "department": self.department, "format": _FORMAT.get(self.fmt, self.fmt),
                "maker": _MAKER[self.fmt], "title": self.title, "doc_number": self.doc_number,
                "broken": self.broken is not None, "needs_ocr": self.fmt in ("png", "imgpdf") and not self.broken,
                "duplicate_of": self.duplicate_of}


def _stat_table(rng: random.Random, spec: DocSpec) -> list[list[object]]:
    header = ["序号", "指标项目", "单位"] + [f"{y}年" for y in spec.years] + ["备注"]
    rows: list[list[object]] = [header]
    for n, word in enumerate(rng.sample(spec.words, min(len(spec.words), rng.randint(4, 8))), start=1):
        unit = rng.choice(_UNITS)
        values = [round(rng.uniform(60, 99.9), 1) if unit == "%" else rng.randint(12, 98000) for _ in spec.years]
        rows.append([n, word + rng.choice(_MEASURES), unit, *values, ""])
    return rows


def render(root: Path, seed: int, spec: DocSpec) -> bytes | None:
    """Write `spec` under `root`. LibreOffice formats are returned as docx bytes instead, for the
    caller to convert in one batch."""
    rng = random.Random(f"{seed}/{spec.index}")
    path = root / spec.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    year = spec.years[-1]
    if spec.fmt in PHOTO_FORMATS:      # a scene with the camera's date: no text to compose
        _, month, day = (int(n) for n in re.findall(r"\d+", spec.date)[:3])
        save_photo(scene(rng.randint(0, 10**6)), path, dt.datetime(year, month, day, rng.randint(8, 17), rng.randint(0, 59)))
        return None
    paragraphs = docgen.compose_paragraphs(rng, list(spec.words), year, rng.randint(4, 9), genre=spec.genre,
                                           city=CITY, department=spec.department)
    if spec.extra_words:
        # A document serving two indicators names the second one too, as joint reports do.
        # (two paragraphs of its own: a name said once in passing would not file it there, rightly)
        more = docgen.compose_paragraphs(rng, list(spec.extra_words), year, 3, genre=spec.genre, city=CITY,
                                         department=spec.department)
        name = spec.extra_words[0]
        paragraphs[1:1] = [f"同时，统筹推进{name}工作。" + more[1], f"在{name}方面，" + more[-1]]
    table = _stat_table(rng, spec) if spec.kind == "statistics" else None
    header = None
    if rng.random() < 0.3 or spec.header_code:
        header = f"{CITY}创建全国文明城市测评材料" + (f"（测评指标：{spec.header_code}）" if spec.header_code else "")

    if spec.fmt in ("docx", "lopdf", "doc"):
        data = docgen.docx_bytes(spec.title, paragraphs, table=[[str(c) for c in r] for r in table] if table else None,
                                 header=header, doc_number=spec.doc_number,
                                 issuer=spec.issuer if spec.doc_number else None, date=spec.date)
        if spec.fmt != "docx":
            return data
        path.write_bytes(data)
    elif spec.fmt == "pdf":
        lines = ["    ".join(str(c) for c in row) for row in table] if table else []
        cut = max(1, len(paragraphs) // rng.randint(1, 3))
        pages = ["\n".join(paragraphs[i:i + cut]) for i in range(0, len(paragraphs), cut)]
        pages[-1] += "\n" + "\n".join(lines + [spec.issuer, spec.date])
        docgen.write_pdf(path, spec.title, pages)
    elif spec.fmt in ("xlsx", "xls"):
        grid = table if table else _ledger_rows(rng, spec)
        sheets = {f"{year}年": [[spec.title], *grid, [], [f"填报单位：{spec.issuer}", "", f"填报日期：{spec.date}"]],
                  "填报说明": [[p] for p in paragraphs[:3]]}
        (docgen.write_xlsx if spec.fmt == "xlsx" else docgen.write_xls)(path, sheets)
    elif spec.fmt == "txt":
        lines = ["\t".join(str(c) for c in row) for row in table] if table else []
        docgen.write_txt(path, "\n".join([spec.title, "", *paragraphs, *lines, "", spec.issuer, spec.date]) + "\n")
    elif spec.fmt in ("png", "imgpdf"):
        text = "\n".join([spec.title, *paragraphs[:5], spec.issuer, spec.date])
        options = {"rotate": round(rng.uniform(-2, 2), 1), "stamp": rng.random() < 0.5}
        if spec.fmt == "png":
            docgen.write_scan_png(path, text, **options)
        else:
            with tempfile.TemporaryDirectory(prefix="city-scan-") as tmp:
                docgen.write_image_pdf(path, [docgen.write_scan_png(Path(tmp) / "page.png", text, **options)])
    else:
        raise ValueError(f"unknown format {spec.fmt}")

    if spec.broken == "empty":
        path.write_bytes(b"")
    elif spec.broken == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 5])    # an upload cut short: no zip directory, no xref
    return None


def _ledger_rows(rng: random.Random, spec: DocSpec) -> list[list[object]]:
    """An activity ledger (活动台账): what was done, when, where, how many took part."""
    rows: list[list[object]] = [["序号", "活动名称", "时间", "地点", "参与人数", "负责人"]]
    for n in range(1, rng.randint(6, 16)):
        rows.append([n, rng.choice(spec.words) + rng.choice(_ACTIVITIES),
                     f"{spec.years[-1]}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", rng.choice(_PLACES),
                     rng.randint(20, 800), person(rng)])
    return rows

"""Indicator systems as Excel tables: export, tolerant import, and saving to a workspace.

Offices keep their system as a task table (任务分解表) with merged cells in 测评项目 and
测评内容, a title row above the header, extra columns (配合单位, 完成时限…) and cells typed
by hand. The import reads such tables, reports every bad row by its row number, and
gives back a validated System; export then import gives back the same indicators.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from common.errors import IndicatorSystemError
from common.files import atomic_path, atomic_write
from common.sheets import append_row
from dossier.systems.model import MATERIAL_REVIEW, EVIDENCE_LABELS, System, derive_keywords, normalize_code, parse_code, validate_data
from common.messages import _

HEADERS = ["测评项目", "测评内容", "指标编号", "指标名称", "测评标准", "测评方法", "材料类型", "关键词", "牵头单位"]
INFO_SHEET = "体系信息"
INFO_ROWS = [("体系编号", "id"), ("名称", "name"), ("版本", "version"), ("说明", "description")]
_WIDTHS = [26, 26, 10, 26, 60, 22, 12, 40, 26]
_WRAPPED = {"测评标准", "关键词"}

# Other names offices give the same columns; an exact header always wins over an alias.
_ALIASES = {
    "项目": "测评项目", "测评项目名称": "测评项目", "内容": "测评内容", "测评内容名称": "测评内容",
    "编号": "指标编号", "标准编号": "指标编号", "指标代码": "指标编号",
    "测评指标": "指标名称", "指标": "指标名称", "标准名称": "指标名称",
    "标准": "测评标准", "标准要求": "测评标准", "测评要求": "测评标准",
    "方法": "测评方法", "材料类别": "材料类型", "材料种类": "材料类型", "材料要求": "材料类型",
    "关键字": "关键词", "责任单位": "牵头单位", "牵头部门": "牵头单位", "责任部门": "牵头单位",
}
_REQUIRED = [h for h in HEADERS if h != "关键词"]
_HEADER_SCAN_ROWS = 15
_LIST_SEP = re.compile(r"[、，,;；/／\s]+")
_ORDINAL = re.compile(r"^\s*(?:第[一二三四五六七八九十百\d]+[部分项章节]|[（(][一二三四五六七八九十\d]+[）)]|"
                      r"[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))\s*")
_GLUED_CODE = re.compile(r"^\s*([A-Za-z]*\s*[-－]?\s*(?:[ⅠⅡⅢⅰⅱⅲ]|[IiＩｉ]{1,3})\s*[-－—–]?\s*[0-9０-９]+)"
                         r"\s*[:：、.．]?\s*(.*)$")
_CJK = re.compile(r"[\u3400-\u9fff]")
# What 材料类型 cells say, beyond our own 统计数据/活动材料.
_STAT_WORDS = ("统计", "数据", "statistics")
_ACT_WORDS = ("活动", "图片", "照片", "总结", "方案", "说明", "activity")
_RULE_WORDS = ("制度", "文件", "规范", "institutional")


# ---------------------------------------------------------------- export

def _heading(code: str, name: str) -> str:
    return f"{code} {name}"


def _evidence_text(evidence: tuple[str, ...]) -> str:
    return "、".join(EVIDENCE_LABELS[e] for e in evidence)


def export_system_xlsx(system: System, path: Path) -> None:
    """One row per indicator under the Chinese HEADERS; a second sheet keeps id/name/version."""
    wb = Workbook()
    ws = wb.active
    ws.title = "测评体系"
    append_row(ws, HEADERS)
    for ind in system.indicators():
        append_row(ws, [_heading(ind.part_code, ind.part_name), _heading(ind.content_code, ind.content_name),
                   ind.code, ind.name, ind.standard, "、".join(ind.methods), _evidence_text(ind.evidence),
                   "、".join(ind.keywords), ind.lead_department])
    for col, (header, width) in enumerate(zip(HEADERS, _WIDTHS), start=1):
        letter = ws.cell(1, col).column_letter
        ws.column_dimensions[letter].width = width
        ws.cell(1, col).font = Font(bold=True)
        if header in _WRAPPED:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    info = wb.create_sheet(INFO_SHEET)
    append_row(info, ["项目", "内容"])
    for label, key in INFO_ROWS:
        append_row(info, [label, str(getattr(system, key, None) or system.data.get(key) or "")])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 12, 60
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)


# ---------------------------------------------------------------- reading cells

def _text(value: Any) -> str:
    """A cell as text: 3.0 → '3', dates as YYYY-MM-DD, Windows line ends unified, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%Y-%m-%d")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _line(value: Any) -> str:
    """One-line text: hand-wrapped Chinese cells are joined without a space."""
    text = re.sub(r"\s*\n\s*", "", _text(value))
    return re.sub(r"[ \u3000\t]+", " ", text)


def _header_key(value: Any) -> str:
    text = unicodedata.normalize("NFKC", _text(value))
    text = re.sub(r"\(.*?\)", "", text)  # notes such as 测评方法（可多选）
    return re.sub(r"[\s*＊:：]", "", text)


def _split_list(text: str) -> list[str]:
    out: list[str] = []
    for item in _LIST_SEP.split(text):
        if item and item not in out:
            out.append(item)
    return out


def _grid(ws) -> list[list[Any]]:
    """The sheet's values, each merged range's value copied down its first column.

    Only downwards: a heading row merged across the whole width ("一、廉洁高效的政务环境")
    must stay a heading, not become a code, a name and a standard."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        value = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row + 1, rng.max_row + 1):
            rows[r - 1][rng.min_col - 1] = value
    return rows


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """(row index, column of each known header) of the best header row near the top."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        keys = [_header_key(v) for v in row]
        columns = {k: c for c, k in reversed(list(enumerate(keys))) if k in HEADERS}
        for c, k in enumerate(keys):
            if k in _ALIASES and _ALIASES[k] not in columns:
                columns[_ALIASES[k]] = c
        if "指标编号" in columns and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    return best


def _split_heading(text: str) -> tuple[str | None, str]:
    """'Ⅰ-1 廉洁高效的政务环境' → ('Ⅰ-1', name); '一、廉洁高效的政务环境' → (None, name)."""
    ordinal = _ORDINAL.match(text)
    if ordinal and text[ordinal.end():].strip():
        return None, text[ordinal.end():].strip()
    head, _, rest = text.partition(" ")
    if rest.strip() and not _CJK.search(head):
        return normalize_code(head), rest.strip()
    glued = _GLUED_CODE.match(text)
    if glued and parse_code(glued.group(1)) and glued.group(2).strip():
        return parse_code(glued.group(1)), glued.group(2).strip()
    return None, text


def _evidence(text: str) -> tuple[list[str], str | None] | None:
    """材料类型 cell → (evidence, evidence_kind), None when the cell says neither kind."""
    low = unicodedata.normalize("NFKC", text).lower()
    stats = any(w in low for w in _STAT_WORDS)
    act = any(w in low for w in _ACT_WORDS)
    rule = any(w in low for w in _RULE_WORDS)
    if not (stats or act or rule):
        return None
    evidence = (["statistics"] if stats else []) + (["activity"] if act or rule else [])
    return evidence, ("institutional" if rule and not (stats or act) else None)


# ---------------------------------------------------------------- import

class _TableReader:
    """Turns the data rows of one sheet into the part → content → indicator tree."""

    def __init__(self) -> None:
        self.parts: dict[str, dict] = {}
        self.contents: dict[str, dict] = {}
        self.rows_of_code: dict[str, int] = {}
        self.problems: list[str] = []

    def _new_code(self, table: dict[str, dict], numeral: str) -> str:
        used = {e["code"] for e in (*self.parts.values(), *self.contents.values())}
        n = len(table) + 1
        while f"{numeral}-{n}" in used:
            n += 1
        return f"{numeral}-{n}"

    def heading(self, text: str, row: int, parent: str | None = None) -> str:
        """The key of the part (parent None) or content a 测评项目/测评内容 cell names."""
        code, name = _split_heading(text)
        table, numeral, what = ((self.parts, "Ⅰ", "测评项目") if parent is None
                                else (self.contents, "Ⅱ", "测评内容"))
        # uncoded contents are told apart by their part: two parts may both have a "工作机制"
        key = code or (f"name:{name}" if parent is None else f"{parent}|name:{name}")
        entry = table.get(key)
        if entry is None:
            table[key] = {"code": code or self._new_code(table, numeral), "name": name or code,
                          "row": row, "parent": parent, "children": []}
            if parent is not None:
                self.parts[parent]["children"].append(table[key])
        elif code and name and entry["name"] != name:
            self.problems.append(_("第{row}行: {what} {code} 的名称“{name}”与第{first_row}行的“{first_name}”不一致").format(
                row=row, what=what, code=code, name=name, first_row=entry["row"], first_name=entry["name"]))
        elif parent is not None and entry["parent"] != parent:
            self.problems.append(_("第{row}行: 测评内容“{text}”在第{first_row}行已归入测评项目 {part}，此处又出现在另一个测评项目下").format(
                row=row, text=text, first_row=entry["row"], part=self.parts[entry["parent"]]["code"]))
        return key

    def indicator(self, values: dict[str, str], row: int, part: str | None, content: str | None) -> None:
        """Check one indicator row; keep it when it is sound, else record its problems."""
        # Offices leave 材料类型 empty for indicators checked only by survey or field visit; no
        # coverage is computed for those, so activity is a harmless placeholder.
        reviewed = MATERIAL_REVIEW in _split_list(values["测评方法"])
        optional = set() if reviewed else {"材料类型"}
        missing = [h for h, ok in (("测评项目", part), ("测评内容", content)) if not ok]
        missing += [h for h in _REQUIRED[2:] if not values[h] and h not in optional]
        problems = [_("第{row}行: 缺少{fields}").format(row=row, fields="、".join(missing))] if missing else []
        evidence = _evidence(values["材料类型"]) if values["材料类型"] else (None if reviewed else (["activity"], None))
        if values["材料类型"] and evidence is None:
            problems.append(_("第{row}行: 材料类型“{given}”无法识别，应为 统计数据、活动材料 或两者").format(
                row=row, given=values["材料类型"]))
        code = normalize_code(values["指标编号"]) if values["指标编号"] else ""
        if code in self.rows_of_code:
            problems.append(_("第{row}行: 指标编号 {code} 与第{first_row}行重复").format(
                row=row, code=code, first_row=self.rows_of_code[code]))
        if problems:
            self.problems.extend(problems)
            return
        self.rows_of_code[code] = row
        item = {"code": code, "name": values["指标名称"], "standard": values["测评标准"],
                "methods": _split_list(values["测评方法"]), "evidence": evidence[0]}
        if evidence[1]:
            item["evidence_kind"] = evidence[1]
        item["keywords"] = _split_list(values["关键词"]) or derive_keywords(values["指标名称"])
        item["lead_department"] = values["牵头单位"]
        self.contents[content]["children"].append(item)

    @staticmethod
    def _values(cells: list[Any], columns: dict[str, int]) -> dict[str, str]:
        raw = {h: (_text(cells[columns[h]]) if h in columns and columns[h] < len(cells) else "") for h in HEADERS}
        values = {h: _line(v) for h, v in raw.items()}
        # a line break separates methods and keywords; the points 1) 2) of a standard keep theirs
        values["测评方法"], values["关键词"] = raw["测评方法"], raw["关键词"]
        values["测评标准"] = "\n".join(filter(None, (s.strip() for s in raw["测评标准"].split("\n"))))
        return values

    def read(self, rows: list[list[Any]], header: int, columns: dict[str, int]) -> None:
        part = content = None
        for index in range(header + 1, len(rows)):
            values = self._values(rows[index], columns)
            if not any(values.values()):
                continue
            if values["测评项目"]:
                new_part = self.heading(values["测评项目"], index + 1)
                content = content if new_part == part else None  # a content never spans two parts
                part = new_part
            if values["测评内容"] and part is not None:
                content = self.heading(values["测评内容"], index + 1, part)
            if any(values[h] for h in HEADERS[2:]):
                self.indicator(values, index + 1, part, content)

    def tree(self) -> list[dict]:
        """Parts with their contents and indicators; headings without indicators are dropped."""
        parts = []
        for part in self.parts.values():
            contents = [{"code": c["code"], "name": c["name"], "indicators": c["children"]}
                        for c in part["children"] if c["children"]]
            if contents:
                parts.append({"code": part["code"], "name": part["name"], "contents": contents})
        return parts


def _open_workbook(path: Path):
    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise IndicatorSystemError(_("{path}: 文件不存在").format(path=path)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise IndicatorSystemError(_("{path}: 不是可读取的 Excel（.xlsx）文件；.xls 请先在 Excel/WPS 中另存为 .xlsx（{kind}）").format(
            path=path, kind=exc.__class__.__name__)) from None


def _read_info(wb) -> dict[str, str]:
    """id/name/version/description from the sheet export writes, if the table has it."""
    labels = dict(INFO_ROWS)
    for ws in wb.worksheets:
        pairs = {_line(r[0]): _line(r[1]) for r in ws.iter_rows(max_col=2, values_only=True) if len(r) >= 2}
        if "体系编号" in pairs:
            return {labels[k]: v for k, v in pairs.items() if k in labels and v}
    return {}


def _data_sheet(wb, path: Path) -> tuple[list[list[Any]], int, dict[str, int]]:
    for ws in wb.worksheets:
        if ws.title == INFO_SHEET:
            continue
        rows = _grid(ws)
        found = _find_header(rows)
        if found:
            missing = [h for h in _REQUIRED if h not in found[1]]
            if missing:
                raise IndicatorSystemError(_("{name}: 工作表“{sheet}”第{row}行的表头缺少列：{missing}（需要的列：{needed}）").format(
                    name=path.name, sheet=ws.title, row=found[0] + 1, missing="、".join(missing), needed="、".join(HEADERS)))
            return rows, found[0], found[1]
    raise IndicatorSystemError(_("{name}: 找不到表头：各工作表前 {rows} 行中都没有“指标编号”列（需要的列：{needed}）").format(
        name=path.name, rows=_HEADER_SCAN_ROWS, needed="、".join(HEADERS)))


def _slug(text: str) -> str:
    return re.sub(r"[\s/\\:*?\"<>|]+", "-", text).strip("-") or "imported"


def import_system_xlsx(path: Path, system_id: str | None = None) -> System:
    """Read an indicator system from an Excel table (see module docstring for tolerances).

    Raises IndicatorSystemError whose ``problems`` list every bad row ("第7行: 缺少指标编号").
    Institutional evidence cannot be told apart in a table: it comes back as activity.
    """
    path = Path(path)
    wb = _open_workbook(path)
    info = _read_info(wb)
    rows, header, columns = _data_sheet(wb, path)
    reader = _TableReader()
    reader.read(rows, header, columns)
    parts = reader.tree()
    if not reader.problems and not parts:
        reader.problems.append(_("第{row}行起没有任何指标行").format(row=header + 2))
    if reader.problems:
        raise IndicatorSystemError(_("{name} 有 {n} 处问题：{problem}").format(
            name=path.name, n=len(reader.problems), problem=reader.problems[0]), reader.problems)
    title = next((_line(v) for row in rows[:header] for v in row if _line(v)), "")
    data: dict[str, Any] = {"id": system_id or info.get("id") or _slug(path.stem),
                            "name": info.get("name") or title or path.stem,
                            "version": info.get("version") or "未标注",
                            "description": info.get("description") or f"从 {path.name} 导入",
                            "parts": parts}
    problems = validate_data(data)
    if problems:
        raise IndicatorSystemError(_("{name} 导入后的测评体系无效：{problem}").format(name=path.name, problem=problems[0]),
                                   problems)
    return System.from_data(data)


def save_system(system: System, dest_dir: Path) -> Path:
    """Write ``<dest_dir>/<id>.yaml`` atomically (a workspace's systems/ folder); returns the path."""
    problems = validate_data(system.data)
    if problems:
        raise IndicatorSystemError(_("测评体系 {id} 无效，未保存：{problem}").format(id=system.id, problem=problems[0]), problems)
    target = Path(dest_dir) / f"{system.id}.yaml"
    text = (f"# 测评体系 {system.id}（{system.name}），格式见 dossier 的 schemas/system.schema.json\n"
            + yaml.safe_dump(system.data, allow_unicode=True, sort_keys=False, width=1000))
    atomic_write(target, text)
    return target

"""Indicator systems (测评体系) as data: load, validate, list and flatten.

A system file (YAML or JSON) holds the tree 测评项目(part) → 测评内容(content) →
测评指标(indicator); only indicators carry evidence. Built-in systems live in
``schemas/``; a workspace's ``systems/`` folder may add more or override a built-in
with the same id. Validation messages are plain Chinese and name the file, the place
in the tree and what is wrong (see ``validate_system_file``).
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml
from jsonschema import Draft202012Validator

from dossier.systems.names import derive_keywords, split_lead
from dossier.systems.vocabulary import added_vocabulary
from common.errors import os_reason, IndicatorSystemError
from schemas import SCHEMAS_DIR
from common.messages import _

MATERIAL_REVIEW = "材料审核"
EVIDENCE_KINDS = ("statistics", "activity")
EVIDENCE_LABELS = {"statistics": _("统计数据"), "activity": _("活动材料")}
SYSTEM_SUFFIXES = (".yaml", ".yml", ".json")

# After NFKC, Ⅲ is "III" and full-width dashes/digits are ASCII. The optional prefix
# (the minors' system uses M-Ⅲ-1) excludes I so that "III42" is not read as "I" + "II".
_CODE_RE = re.compile(r"^(?:([A-HJ-Z]+)\s*[-_.·]?\s*)?(III|II|I)\s*[-‐‑‒–—―_.·~]?\s*(\d+)$", re.I)
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ"}


def parse_code(code: str) -> str | None:
    """The canonical form of a Ⅰ/Ⅱ/Ⅲ code, or None when ``code`` has another shape."""
    match = _CODE_RE.match(unicodedata.normalize("NFKC", str(code)).strip())
    if not match:
        return None
    prefix, roman, number = match.groups()
    head = f"{prefix.upper()}-" if prefix else ""
    return f"{head}{_ROMAN[roman.upper()]}-{int(number)}"


def normalize_code(code: str) -> str:
    """'III-42', 'iii-42', 'Ⅲ42', 'Ⅲ－42', ' Ⅲ-42 ' → 'Ⅲ-42' (also Ⅰ/Ⅱ and prefixed M-Ⅲ-1).

    Codes of another shape (a user's own system may number 1.1, A3…) come back stripped.
    """
    return parse_code(code) or str(code).strip()


@dataclass(frozen=True)
class Indicator:
    """One indicator (测评指标), flattened with its part and content."""

    code: str
    name: str
    part_code: str
    part_name: str
    content_code: str
    content_name: str
    standard: str
    methods: tuple[str, ...]
    evidence: tuple[str, ...]
    evidence_kind: str | None
    keywords: tuple[str, ...]
    lead_department: str
    required_years: dict[str, int] | None = field(default=None, hash=False)
    source: str | None = None
    ref: str | None = None
    lead_department_now: str | None = None
    # Today's words for the indicator's subject (河长制, 国家宪法日 …): the project's added
    # vocabulary (schemas/vocabulary/) and a system file's own `vocabulary`, never reference text.
    vocabulary: tuple[str, ...] = ()

    @property
    def material_review(self) -> bool:
        """True when the indicator is checked by material review (材料审核)."""
        return MATERIAL_REVIEW in self.methods

    @property
    def lead(self) -> str:
        """The one department that leads: 团市委 of 团市委（市文明办协调）."""
        return split_lead(self.lead_department)[0]

    @property
    def helpers(self) -> tuple[str, ...]:
        """The departments that help the lead: 市文明办 of 团市委（市文明办协调）."""
        return split_lead(self.lead_department)[1]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, with "part"/"content" (codes) as `dossier system show --json` needs."""
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        data.update(part=self.part_code, content=self.content_code, material_review=self.material_review)
        return data


def _opt_str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _make_indicator(part: dict, content: dict, item: dict, added: Sequence[str] = ()) -> Indicator:
    years = item.get("required_years")
    keywords = tuple(k.strip() for k in item.get("keywords", []))
    vocabulary = [v.strip() for v in [*item.get("vocabulary", []), *added]]
    return Indicator(
        code=normalize_code(item["code"]), name=item["name"].strip(),
        part_code=normalize_code(part["code"]), part_name=part["name"].strip(),
        content_code=normalize_code(content["code"]), content_name=content["name"].strip(),
        standard=item["standard"].strip(), methods=tuple(m.strip() for m in item["methods"]),
        evidence=tuple(item["evidence"]), evidence_kind=item.get("evidence_kind"),
        keywords=keywords, vocabulary=tuple(dict.fromkeys(v for v in vocabulary if v and v not in keywords)),
        lead_department=item["lead_department"].strip(),
        required_years=dict(years) if years else None,
        source=_opt_str(item.get("source")), ref=_opt_str(item.get("ref")),
        lead_department_now=_opt_str(item.get("lead_department_now")),
    )


@dataclass
class System:
    """A loaded, valid indicator system. ``data`` is the file's content: treat it as read-only
    (loaded systems are cached and shared)."""

    id: str
    name: str
    version: str
    path: Path | None = None
    data: dict = field(default_factory=dict, repr=False)
    _flat: list[Indicator] | None = field(default=None, init=False, repr=False, compare=False)
    _by_code: dict[str, Indicator] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_data(cls, data: dict, path: Path | None = None) -> "System":
        """Wrap already validated data (use ``load_system_file`` for files)."""
        return cls(id=str(data["id"]), name=str(data["name"]).strip(), version=str(data["version"]),
                   path=path, data=data)

    def _flatten(self) -> list[Indicator]:
        if self._flat is None:
            added = {normalize_code(code): terms for code, terms in added_vocabulary(self.id).items()}
            flat = [_make_indicator(part, content, item, added.get(normalize_code(item["code"]), ()))
                    for part in self.data.get("parts", [])
                    for content in part.get("contents", [])
                    for item in content.get("indicators", [])]
            self._by_code.update((ind.code, ind) for ind in flat)
            self._flat = flat
        return self._flat

    def indicators(self) -> list[Indicator]:
        """All indicators in tree order (part, content, indicator as in the file)."""
        return list(self._flatten())

    def material_review(self) -> list[Indicator]:
        """The indicators checked by material review (材料审核), in tree order."""
        return [ind for ind in self._flatten() if ind.material_review]

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code; accepts variants such as 'III-42' or 'Ⅲ42'."""
        self._flatten()
        wanted = normalize_code(code)
        if wanted in self._by_code:
            return self._by_code[wanted]
        raise IndicatorSystemError(self._unknown_code_message(str(code).strip(), wanted))

    def _unknown_code_message(self, given: str, wanted: str) -> str:
        where = _("测评体系 {id}（{name}）").format(id=self.id, name=self.name)
        if not wanted:
            return _("指标编号为空；{where}的指标编号形如 {example}").format(where=where, example=self._flat[0].code)
        for part in self.data["parts"]:
            if normalize_code(part["code"]) == wanted:
                return _("{code} 是{where}的测评项目“{name}”，不是测评指标").format(code=wanted, where=where, name=part["name"])
            for content in part["contents"]:
                if normalize_code(content["code"]) == wanted:
                    return _("{code} 是{where}的测评内容“{name}”，不是测评指标").format(
                        code=wanted, where=where, name=content["name"])
        close = difflib.get_close_matches(wanted, list(self._by_code), n=3, cutoff=0.6)
        hint = (_("相近的编号：{codes}").format(codes="、".join(close)) if close
                else _("编号从 {first} 到 {last}").format(first=self._flat[0].code, last=self._flat[-1].code))
        return _("{where}中没有指标 “{given}”；{hint}").format(where=where, given=given, hint=hint)

    def counts(self) -> dict[str, int]:
        """Numbers of parts, contents, indicators and material-review indicators."""
        parts = self.data.get("parts", [])
        return {
            "parts": len(parts),
            "contents": sum(len(p.get("contents", [])) for p in parts),
            "indicators": len(self._flatten()),
            "material_review_indicators": len(self.material_review()),
        }

    def summary(self) -> dict[str, Any]:
        """The JSON shape of `dossier systems --json` (design.md §6)."""
        return {"id": self.id, "name": self.name, "version": self.version, **self.counts(),
                "path": str(self.path) if self.path else None}


# ---------------------------------------------------------------- reading files

class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping: PyYAML would silently
    keep the last one, and a user editing a system by hand would lose an entry unnoticed."""

    def construct_mapping(self, node, deep=False):  # noqa: D102 (PyYAML hook)
        seen: set = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, _("字段 {key} 在同一处写了两次").format(key=key), key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_YAML_PROBLEMS = {
    "mapping values are not allowed here": _("这里不能出现“键: 值”（常见原因：缩进不对，或文本中的冒号没有加引号）"),
    "could not find expected ':'": _("缺少冒号“:”"),
    "did not find expected key": _("缩进不一致或缺少键"),
    "did not find expected '-' indicator": _("列表项缩进不一致"),
    "found character '\\t' that cannot start any token": _("含有制表符（YAML 只能用空格缩进）"),
    "found undefined alias": _("引用了未定义的别名"),
    "found unexpected end of stream": _("文件意外结束（引号或括号没有闭合）"),
    "expected ',' or ']'": _("方括号列表没有闭合（缺少“]”或“,”）"),
    "expected ',' or '}'": _("花括号映射没有闭合（缺少“}”或“,”）"),
}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    text = next((zh for en, zh in _YAML_PROBLEMS.items() if problem.startswith(en)), problem)
    if not problem.startswith("字段"):        # our own duplicate-key problem says what it is
        text = _("YAML 语法错误：{problem}").format(problem=text)
    return _("第{line}行第{column}列: {problem}").format(line=mark.line + 1, column=mark.column + 1, problem=text) if mark else text


def read_system_data(path: Path) -> tuple[Any, list[str]]:
    """Parse a system file; returns (data, problems) where problems name the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: files saved by Windows editors
    except FileNotFoundError:
        return None, [_("{path}: 文件不存在").format(path=path)]
    except UnicodeDecodeError:
        return None, [_("{path}: 文件不是 UTF-8 编码，请另存为 UTF-8 后再试").format(path=path)]
    except OSError as exc:
        return None, [_("{path}: 无法读取文件（{why}）").format(path=path, why=os_reason(exc))]
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text), []
        except json.JSONDecodeError as exc:
            return None, [_("{path}: 第{line}行第{column}列: JSON 语法错误：{problem}").format(
                path=path, line=exc.lineno, column=exc.colno, problem=exc.msg)]
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader), []
    except yaml.YAMLError as exc:
        return None, [f"{path}: {_yaml_problem(exc)}"]


# ---------------------------------------------------------------- validating

_LABELS = {"id": _("体系编号"), "name": _("名称"), "version": _("版本"), "parts": _("测评项目"), "contents": _("测评内容"),
           "indicators": _("测评指标"), "code": _("编号"), "standard": _("测评标准"), "methods": _("测评方法"),
           "evidence": _("材料类型"), "evidence_kind": _("材料类别"), "keywords": _("关键词"),
           "lead_department": _("牵头单位"), "required_years": _("要求年数"),
           "statistics": _("统计数据"), "activity": _("活动材料")}
_TYPES = {"string": _("文本"), "integer": _("整数"), "number": _("数字"), "array": _("列表"),
          "object": _("映射（键: 值）"), "boolean": _("布尔值"), "null": _("空值")}


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads((SCHEMAS_DIR / "system.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _type_of(value: Any) -> str:
    kinds = [(bool, _("布尔值")), (int, _("整数")), (float, _("数字")), (str, _("文本")), (list, _("列表")),
             (dict, _("映射")), (dt.date, _("日期"))]
    return _("空值") if value is None else next((zh for t, zh in kinds if isinstance(value, t)), type(value).__name__)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "…"


def _place(path: list, data: Any) -> tuple[str, list]:
    """("parts[2] Ⅰ-3 › contents[0] Ⅱ-9 › indicators[4] Ⅲ-27", rest of the path)."""
    labels, node, i = [], data, 0
    while i + 1 < len(path) and path[i] in ("parts", "contents", "indicators") and isinstance(path[i + 1], int):
        node = node[path[i]][path[i + 1]]
        label = f"{path[i]}[{path[i + 1]}]"
        if isinstance(node, dict):
            code, name = node.get("code"), node.get("name")
            if isinstance(code, str) and code.strip():
                label += f" {code.strip()}"
            elif isinstance(name, str) and name.strip():
                label += f"（{name.strip()}）"
        labels.append(label)
        i += 2
    return " › ".join(labels) or _("顶层"), path[i:]


def _field(rest: list) -> str:
    """'required_years.statistics（要求年数·统计数据）' for a path inside one node."""
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    label = "·".join(_LABELS[p] for p in rest if isinstance(p, str) and p in _LABELS)
    return f"{text}（{label}）" if label else text


def _describe(err, rest: list) -> str:
    """One schema error in plain words."""
    what, inst, rule = _field(rest), err.instance, err.validator
    if rule == "required":
        missing = [k for k in err.validator_value if k not in inst]
        return (what + ": " if what else "") + _("缺少必填字段 {fields}").format(fields="、".join(_field([k]) for k in missing))
    if rule == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        bits = []
        for key in (k for k in inst if k not in known and not str(k).startswith("x-")):
            close = difflib.get_close_matches(str(key), known, n=1)
            bits.append(_("未知字段 {key}").format(key=key) + (_("（是否应为 {close}？）").format(close=close[0]) if close else ""))
        return (what + ": " if what else "") + "；".join(bits)
    if rule == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        quote = "string" in want and isinstance(inst, (int, float, dt.date)) and not isinstance(inst, bool)
        hint = _("（请加引号）") if quote else ""
        return _("{what}应为{wanted}，实际是{actual} {value}{hint}").format(
            what=what or _("内容"), wanted=_("或").join(_TYPES[t] for t in want), actual=_type_of(inst),
            value=_show(inst), hint=hint)
    if rule == "enum" and rest and rest[0] == "evidence":
        return _("{what}的值 {value} 无效：只能是 statistics（统计数据）或 activity（活动材料）").format(what=what, value=_show(inst))
    if rule == "enum":
        return _("{what}的值 {value} 无效，可选：{choices}").format(what=what, value=_show(inst),
                                                              choices="、".join(map(str, err.validator_value)))
    if rule == "minimum":
        return _("{what}应为大于 0 的整数，实际为 {value}").format(what=what, value=_show(inst))
    if rule == "uniqueItems":
        dup = next(x for i, x in enumerate(inst) if x in inst[:i])
        return _("{what}中有重复的值 {value}").format(what=what, value=_show(dup))
    if rule == "pattern" and rest == ["id"]:
        return _('体系编号不能为空，也不能含空白或 / \\ : * ? " < > |')
    simple = {"minItems": _("不能为空列表"), "minProperties": _("不能为空"), "pattern": _("不能为空")}
    return f"{what}{simple[rule]}" if rule in simple else f"{what}: {err.message}"


def _walk(data: dict):
    """(path, node) for every well-formed part, content and indicator, in tree order."""
    def items(node: Any, key: str) -> list:
        seq = node.get(key) if isinstance(node, dict) else None
        return [(i, x) for i, x in enumerate(seq) if isinstance(x, dict)] if isinstance(seq, list) else []
    for pi, part in items(data, "parts"):
        yield ["parts", pi], part
        for ci, content in items(part, "contents"):
            yield ["parts", pi, "contents", ci], content
            for ii, ind in items(content, "indicators"):
                yield ["parts", pi, "contents", ci, "indicators", ii], ind


def _tree_problems(data: dict) -> list[str]:
    """What a JSON Schema cannot say: unique codes, evidence consistent with evidence_kind."""
    problems, seen = [], {}
    for path, node in _walk(data):
        place = _place(path, data)[0]
        code = node.get("code")
        if isinstance(code, str) and code.strip():
            key = normalize_code(code)
            if key in seen:
                problems.append(_("{place}: 编号 {code} 重复（已用于 {first}）").format(place=place, code=code.strip(), first=seen[key]))
            else:
                seen[key] = place
        kind, evidence = node.get("evidence_kind"), node.get("evidence")
        need = {"statistics": "statistics", "activity": "activity", "institutional": "activity"}.get(kind)
        sound = isinstance(evidence, list) and evidence and set(evidence) <= set(EVIDENCE_KINDS)
        if need and sound and need not in evidence:  # a bad evidence list is reported by the schema
            problems.append(_("{place}: evidence_kind 为 {kind}，但 evidence（材料类型）中没有 {need}").format(
                place=place, kind=kind, need=need))
    return problems


def validate_data(data: Any) -> list[str]:
    """Problems of already parsed system data, each "place: what is wrong"."""
    if data is None:
        return ["文件是空的"]
    if not isinstance(data, dict):
        return [_("顶层: 文件应是一个映射（id、name、version、parts），实际是{actual}").format(actual=_type_of(data))]
    errors = sorted(_validator().iter_errors(data),
                    key=lambda e: [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path])
    problems: list[str] = []
    for err in errors:
        place, rest = _place(list(err.absolute_path), data)
        line = f"{place}: {_describe(err, rest)}"
        if line not in problems:  # jsonschema reports each missing field apart; we name them together
            problems.append(line)
    return problems + _tree_problems(data)


def validate_system_file(path: Path) -> list[str]:
    """Every problem of a system file, one plain line each; [] when the file is valid.

    Each line names the file, the place in the tree (e.g.
    "parts[2] Ⅰ-3 › contents[0] Ⅱ-9 › indicators[4] Ⅲ-27") and what is wrong.
    """
    data, problems = read_system_data(Path(path))
    return problems or [f"{path}: {p}" for p in validate_data(data)]


# (resolved path) -> ((mtime_ns, size), System): built-ins are read by nearly every command.
_CACHE: dict[Path, tuple[tuple[int, int], System]] = {}


def load_system_file(path: Path) -> System:
    """Load and validate one system file; IndicatorSystemError carries all its problems."""
    path = Path(path)
    try:
        stat = path.stat()
        key, stamp = path.resolve(), (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key, stamp = None, None
    if key is not None and key in _CACHE and _CACHE[key][0] == stamp:
        return _CACHE[key][1]
    data, problems = read_system_data(path)
    if not problems:
        problems = [f"{path}: {p}" for p in validate_data(data)]
    if problems:
        more = _("（共 {n} 处问题）").format(n=len(problems)) if len(problems) > 1 else ""
        raise IndicatorSystemError(_("测评体系文件无效{more}：{problem}").format(more=more, problem=problems[0]), problems)
    system = System.from_data(data, path)
    if key is not None:
        _CACHE[key] = (stamp, system)
    return system


# ---------------------------------------------------------------- listing

def builtin_dir() -> Path:
    """The folder of the built-in systems (schemas/)."""
    return SCHEMAS_DIR


def _system_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SYSTEM_SUFFIXES
                  and not p.name.endswith(".schema.json") and not p.name.startswith("."))


def _scan(extra_dirs: Sequence[Path]) -> tuple[dict[str, System], list[str]]:
    """All systems by id (later folders override earlier ones) and the problems met."""
    systems: dict[str, System] = {}
    problems: list[str] = []
    for folder in (builtin_dir(), *map(Path, extra_dirs)):
        here: dict[str, Path] = {}
        for file in _system_files(folder):
            try:
                system = load_system_file(file)
            except IndicatorSystemError as exc:
                problems.extend(exc.problems)
                continue
            if system.id in here:
                problems.append(_("{file}: 体系编号 {id} 与 {other} 重复，已忽略本文件").format(
                    file=file, id=system.id, other=here[system.id]))
                continue
            here[system.id] = file
            systems[system.id] = system
    return systems, problems


def list_systems(extra_dirs: Sequence[Path] = ()) -> list[System]:
    """Built-in systems, then those in ``extra_dirs`` (a workspace's systems/ folder);
    a system there with a built-in's id replaces it. Raises when a file is invalid."""
    systems, problems = _scan(extra_dirs)
    if problems:
        raise IndicatorSystemError(_("有测评体系文件无法读取：{problem}").format(problem=problems[0]), problems)
    return list(systems.values())


def load_system(system_id: str, extra_dirs: Sequence[Path] = ()) -> System:
    """The system with this id (workspace folders first, then built-ins)."""
    systems, problems = _scan(extra_dirs)
    wanted = str(system_id).strip()
    if wanted in systems:
        return systems[wanted]
    message = _("未知的测评体系 “{id}”；可用的有：{known}").format(id=system_id, known="、".join(systems) or _("（无）"))
    if problems:
        message += _("；另有 {n} 处文件问题，如：{problem}").format(n=len(problems), problem=problems[0])
    raise IndicatorSystemError(message, problems)

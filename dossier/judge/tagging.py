"""Indicator tags from an indicator system's names and keywords, each with a reason a person reads.

Evidence, strongest first:
- an indicator code (Ⅲ-42, III-42, Ⅲ42) or an indicator's name in a folder or file name —
  data groups sort by indicator, so this is a person's filing (source ``path``);
- the indicator's terms in the title (weighted well above the body);
- the terms in the body, where counts matter but saturate (a 50-page report names everything);
- the document's department being the indicator's lead department (a small push, never alone).

Terms are weighted by how specific they are across the system (an IDF over indicators) and by
a list of words every government document uses; such generic terms never make a tag on their
own. Text is matched by substring — Chinese has no word boundaries, so no ``\\b``; the terms are
compiled once into a single trie-shaped regular expression scanned in C.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from archive.textnorm import normalize_text
from dossier.systems import Indicator, System, derive_keywords, parse_code

MIN_CONFIDENCE = 0.30   # below this a tag is a guess: review can show it, tagging does not make it
RELATIVE_CUT = 0.45     # a second tag must score at least this share of the best one…
NAMED_CONFIDENCE = 0.6  # …unless the body names it twice by its full name and it is this sure
MAX_TAGS = 5
TITLE_WEIGHT = 2.5      # a term in the title, whatever its count there
BODY_WEIGHT = 1.5       # the most body hits of one term can give (they saturate towards it)
BODY_HALF = 1.5         # body hits at which a term gives half of BODY_WEIGHT, per 3,000 characters
SCALE = 1.6             # score → confidence: 1 - exp(-score / SCALE)
PATH_CODE, PATH_FOLDER_NAME, PATH_FILE_NAME = 6.0, 4.5, 2.5
DEPT_PRIMARY, DEPT_SECONDARY = 0.45, 0.2
NAMED_INSIDE = 0.3      # a term inside another indicator's name (健康教育 in 心理健康教育)

# Terms of the built-in systems that any government document uses in passing: they support a
# tag but never make one. Chosen by reading the keyword lists, not learned from documents.
GENERIC_TERMS = frozenset("""
执行 公示 预算 复查 互助 友善 举报 问卷 增幅 简报 问责 督办 救助 学时 公园 绿地 专利 工会 纪委 党校
春节 清明 端午 中秋 重阳 排队 文明办 文明委 创建办 支持率 知晓率 满意率 满意度 合格率 覆盖率 覆盖面 办结率
答复率 参与率 审结率 建成区 一把手 责任书 责任制 现场会 黑名单 残疾人 经费投入 宣传教育 宣传报道 新闻报道
专项整治 专项行动 综合整治 工作机制 工作规划 工作制度 领导小组 专题会议 联席会议 机构编制 人员配备 责任分工
任务分解 目标责任 目标考核 督查考核 考核办法 检查考评 评选表彰 命名表彰 表彰奖励 先进事迹 经验交流 年度计划
年度报告 调查报告 监测数据 动态管理 长效管理 监管体系 举报电话 投诉举报 群众评价 群众满意 群众参与 组织协调
领导重视 服务承诺 规范服务 服务规范 权益保障 财政预算 专项资金 联合执法 执法检查 案件查处 案件查办 环境整治
宣传普及 征求意见 创建规划 达标比例 参与人次 活动人次 活动签到 参与统计 经费保障 宣传图片 信息更新 控制指标
整体观察 城市面貌 文明程度 创建成效 创建成果 创建宣传 创建网络 创建经验 学习计划 培训计划 专题学习 免费开放
公众调查 城镇居民 社区建设 社区管理 消费支出 家庭户数 评议考核 一站式服务 创建文明城市 执法主体 执法依据
实施纲要 重大决策 公益性 城市形象 成果转化 互联网 监督检查
""".split())
# Pieces of administrative language; a term made only of them (工作机制, 宣传教育, 满意率) is
# generic too — this covers a user's own system, whose keywords nobody screened.
_GENERIC_PIECES = frozenset("""
工作 建设 管理 机制 制度 活动 宣传 教育 检查 考核 考评 责任 领导 组织 协调 专项 整治 综合 年度 计划 报告
规划 会议 专题 经费 保障 体系 监督 评价 统计 数据 信息 办法 方案 目标 任务 分解 分工 督查 通报 落实 推进
开展 加强 情况 问题 群众 满意 知晓 覆盖 合格 参与 办结 答复 投入 资金 联合 执法 表彰 评选 奖励 先进 典型
经验 交流 长效 动态 服务 规范 标准 提升 重点 创建 制 率 度 书 表 会 化
""".split())
_VARIANTS = (("法制", "法治"),)  # 2014 on, 法治 replaced 法制 in official wording
# 消费者权益保护 is also named 消费者权益, 心理健康教育 心理健康: the core of a term without the
# administrative word at its end is a (slightly weaker) term of its own.
_CORE_SUFFIXES = ("保护", "建设", "创建", "宣传", "教育", "活动", "工作", "管理", "整治", "治理", "培训", "监督")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_NAME_SPLIT = re.compile(r"(?<!参)与|和(?!谐)|、|，|,|；|;|/")   # 参与 is a word, not "and"
# A code inside a folder or file name; after NFKC Ⅲ is "III". No letter or digit may touch it.
_PATH_CODE = re.compile(r"(?<![A-Za-z0-9])((?:[A-HJ-Z]{1,3}[-_.·]?)?(?:III|II|I)\s*[-‐‑‒–—―_.·~]?\s*\d{1,3})(?!\d)", re.I)
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class TagSuggestion:
    code: str
    source: str          # rule | path
    confidence: float    # 0..1
    reason: str          # Chinese, for a person: "标题含 志愿服务; 正文 12 次 注册志愿者; 牵头单位一致"


@dataclass
class Candidate:
    """Everything the tagger found for one indicator (review uses candidates below the threshold)."""

    indicator: Indicator
    score: float = 0.0
    path_score: float = 0.0          # from codes and names in folder and file names
    specific: bool = False           # a non-generic term, or path evidence, was found
    title_terms: list[str] = field(default_factory=list)
    body_terms: list[tuple[int, float, str]] = field(default_factory=list)   # (count, weight, term)
    path_notes: list[str] = field(default_factory=list)
    department_note: str = ""

    @property
    def confidence(self) -> float:
        return round(1 - math.exp(-self.score / SCALE), 2)

    @property
    def source(self) -> str:
        return "path" if self.path_score > 0 else "rule"

    def reason(self) -> str:
        bits = list(self.path_notes)
        if self.title_terms:
            bits.append("标题含 " + "、".join(self.title_terms[:3]))
        if self.body_terms:
            top = sorted(self.body_terms, key=lambda b: (-b[0] * b[1], b[2]))[:3]
            bits.append("正文 " + "、".join(f"{n} 次 {t}" for n, _, t in top))
        if self.department_note:
            bits.append(self.department_note)
        return "; ".join(bits)


def has_text_evidence(reason: str) -> bool:
    """Whether a stored tag reason (written by Candidate.reason) cites the title or the body."""
    return "标题含 " in reason or "正文 " in reason


def _is_generic(term: str) -> bool:
    if term in GENERIC_TERMS:
        return True
    # Can the term be cut entirely into generic pieces? (tiny DP over positions)
    ok = [True] + [False] * len(term)
    for end in range(1, len(term) + 1):
        ok[end] = any(ok[start] and term[start:end] in _GENERIC_PIECES for start in range(max(0, end - 2), end))
    return ok[-1]


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literals, shaped as a trie so the C engine never retries a prefix;
    a term that goes on is a greedy optional group, so each position yields its longest term."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def _department_keys(lead: str) -> list[tuple[str, float]]:
    """'团市委（市文明办协调）' → [('团市委', primary), ('文明办', secondary)]: comparable tails."""
    keys = []
    main = _BRACKETS.sub("", lead).strip()
    inner = [p for m in re.findall(r"[（(]([^）)]*)[）)]", lead) for p in re.split(r"[、，,/]", m)]
    for name, weight in [(main, DEPT_PRIMARY)] + [(p, DEPT_SECONDARY) for p in inner]:
        name = re.sub(r"(协同|协调|提供数据|等)$", "", name.strip())
        name = re.sub(r"^[市区县]", "", name)   # 市文明办 and 文明办 and 马鞍山市文明办 are one office
        if len(name) >= 3 and "各" not in name:
            keys.append((name, weight))
    return keys


class Tagger:
    """Suggests indicator tags for documents; build once per system, call for thousands of documents."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.indicators = system.indicators()
        self.index = {ind.code: i for i, ind in enumerate(self.indicators)}
        self.codes = set(self.index)
        # A system whose codes all carry one prefix (the minors' M-Ⅲ-n) is often written without it.
        heads = {code.split("-")[0] for code in self.codes}
        self.prefix = f"{heads.pop()}-" if len(heads) == 1 and next(iter(self.codes))[0].isascii() else ""
        n = len(self.indicators)
        # term -> {indicator index: base weight}; the name counts most, keywords least,
        # the content's name (政务公开 for Ⅲ-4..6) spreads weak evidence over its indicators.
        base: dict[str, dict[int, float]] = defaultdict(dict)
        self.names: list[tuple[str, int, bool]] = []          # (name term, indicator, full name?)
        self.full_names = [normalize_text(_BRACKETS.sub("", ind.name).strip()) for ind in self.indicators]
        by_content: dict[str, list[int]] = defaultdict(list)
        for i, ind in enumerate(self.indicators):
            by_content[ind.content_code].append(i)
            full = _BRACKETS.sub("", ind.name).strip()
            pieces = [p for p in derive_keywords(ind.name) if p != full]
            # derive_keywords drops two-character pieces; a leading one names the topic (公厕与环卫设施,
            # 禁毒与…, 双拥与…) while a trailing one qualifies it (…与公正, …与辅导) and says little.
            head = _NAME_SPLIT.split(full)[0]
            if len(head) == 2 and head != full and not _is_generic(head):
                pieces.append(head)
            weighted = [(full, 1.0)] if 2 <= len(full) <= 12 else []
            weighted += [(p, 0.9) for p in pieces] + [(k, 0.7) for k in ind.keywords + ind.vocabulary]
            for term, w in list(weighted):
                core = next((term[:-2] for suffix in _CORE_SUFFIXES if term.endswith(suffix)), "")
                if len(core) >= 3 and not _is_generic(core):
                    weighted.append((core, w * 0.8))
            for term, w in weighted:
                term = normalize_text(term).strip()
                if len(term) >= 2:
                    base[term][i] = max(base[term].get(i, 0.0), w)
            self.names += [(normalize_text(full), i, True)] if len(full) >= 4 else []
            self.names += [(normalize_text(p), i, False) for p in pieces if len(p) >= 3]
        for ind in {ind.content_code: ind for ind in self.indicators}.values():
            # Only a content named by one notion (政务公开, 社会治安); 志愿服务与宣传教育 would
            # lend 志愿服务 to 全民阅读, its neighbour under the same content.
            term = normalize_text(ind.content_name).strip()
            if derive_keywords(term) == [term] and len(term) >= 4 and not _is_generic(term):
                for i in by_content[ind.content_code]:
                    base[term].setdefault(i, 0.4)
        for old, new in _VARIANTS:
            for term in [t for t in base if old in t]:
                base.setdefault(term.replace(old, new), dict(base[term]))
        # Specificity: in how many indicators' terms does a term occur (as a part)?
        terms = sorted(base, key=lambda t: (-len(t), t))
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.generic: set[tuple[int, str]] = set()     # (indicator, term) that cannot make a tag
        self.title_only: set[tuple[int, str]] = set()  # ...except from the title
        for term in terms:
            df = len({i for other in terms if term in other for i in base[other]})
            idf = math.log((n + 1) / df) / math.log(n + 1) if df else 1.0
            factor = idf * (0.75 if len(term) <= 2 else 1.0)
            generic = _is_generic(term)
            self.postings[term] = []
            for i, w in sorted(base[term].items()):
                # An indicator's own name is its identity even in administrative words
                # (目标责任与督查考核): more weight for it, and in a title it may make the tag.
                if generic:
                    self.generic.add((i, term))
                    if w < 0.9:
                        w *= 0.3
                    else:
                        w *= 0.5
                        self.title_only.add((i, term))
                self.postings[term].append((i, w * factor))
        # A matched surface (the longest term at a position) is evidence for every indicator with a
        # term inside it (社区志愿服务 also says 志愿服务), but once per indicator: its best term
        # there, so one phrase never counts twice through a name, its core and a keyword.
        # A surface that is one indicator's name says little for others through the terms inside it:
        # 心理健康教育 (Ⅲ-59) is not 健康教育 (Ⅲ-54).
        owners: dict[str, set[int]] = defaultdict(set)
        for name, i, _full in self.names:
            owners[name].add(i)
        self.best: dict[str, list[tuple[int, float, str]]] = {}
        for surface in terms:
            per: dict[int, tuple[float, str]] = {}
            named = owners.get(surface, set())
            for term in (t for t in terms if len(t) <= len(surface) and t in surface):
                for i, w in self.postings[term]:
                    if named and i not in named and term != surface:
                        w *= NAMED_INSIDE
                    if i not in per or w > per[i][0]:
                        per[i] = (w, term)
            self.best[surface] = [(i, w, t) for i, (w, t) in sorted(per.items())]
        self.regex = re.compile(_trie_pattern(terms))
        self.ascii_edges = {t: (bool(_ASCII_ALNUM.match(t[0])), bool(_ASCII_ALNUM.match(t[-1]))) for t in terms}
        self.dept_keys = [_department_keys(ind.lead_department) for ind in self.indicators]

    # -- counting -----------------------------------------------------------------------------
    def _hits(self, text: str) -> dict[tuple[int, str], list]:
        """(indicator, term) → [occurrences, weight], from one scan of the text."""
        surfaces: dict[str, int] = defaultdict(int)
        for m in self.regex.finditer(text):
            term = m.group()
            left, right = self.ascii_edges[term]
            # ASCII terms (API, 12315) must not sit inside a longer ASCII word or number.
            if (left and m.start() and _ASCII_ALNUM.match(text[m.start() - 1])) or \
               (right and m.end() < len(text) and _ASCII_ALNUM.match(text[m.end()])):
                continue
            surfaces[term] += 1
        hits: dict[tuple[int, str], list] = {}
        for surface, n in surfaces.items():
            for i, w, term in self.best[surface]:
                hit = hits.setdefault((i, term), [0, w])
                hit[0] += n
        return hits

    def _path_evidence(self, paths: list[str], title: str, cands: dict[int, Candidate]) -> None:
        for path in paths:
            parts = [p for p in re.split(r"[\\/]+", path) if p]
            for pos, part in enumerate(parts):
                is_file = pos == len(parts) - 1
                if is_file and "." in part:
                    part = part.rsplit(".", 1)[0]
                where = "文件名" if is_file else "文件夹名"
                folded = unicodedata.normalize("NFKC", part)
                for m in _PATH_CODE.finditer(folded):
                    code = parse_code(m.group(1))
                    if code not in self.codes and self.prefix:   # Ⅲ-3 written for M-Ⅲ-3
                        code = self.prefix + (code or "")
                    if code in self.codes:
                        self._add_path(cands, code, PATH_CODE, f"{where}含编号 {code}")
                text = normalize_text(part)
                hits = [(text.find(name), len(name), i, full, name) for name, i, full in self.names if name in text]
                for start, size, i, full, name in hits:
                    # 社区志愿服务/ names Ⅲ-115, not also Ⅲ-42 (志愿服务) hidden inside it; and a file
                    # named like its title says nothing the title did not.
                    if (is_file and name in title) or any(s <= start and start + size <= s + z and z > size and j != i for s, z, j, _, _ in hits):
                        continue
                    weight = PATH_FILE_NAME if is_file else PATH_FOLDER_NAME * (1.0 if full else 0.85)
                    self._add_path(cands, self.indicators[i].code, weight, f"{where}含 {name}")
                if not is_file:   # keywords in a folder name: like a title, not a filing
                    for (i, term), (_, w) in self._hits(text).items():
                        cand = self._cand(cands, i)
                        cand.score += TITLE_WEIGHT * w
                        cand.specific |= (i, term) not in self.generic
                        if f"文件夹名含 {term}" not in cand.path_notes and len(cand.path_notes) < 4:
                            cand.path_notes.append(f"文件夹名含 {term}")

    def _add_path(self, cands: dict[int, Candidate], code: str, weight: float, note: str) -> None:
        i = self.index[code]
        cand = self._cand(cands, i)
        if note in cand.path_notes:
            return
        # Two paths naming the same indicator are not twice the evidence.
        gain = max(0.0, weight - cand.path_score) if cand.path_score else weight
        cand.path_score += gain
        cand.score += gain
        cand.specific = True
        cand.path_notes.insert(0, note) if "编号" in note else cand.path_notes.append(note)

    def _name_count(self, cand: Candidate) -> int:
        """How often the body names the indicator by its full name (法律援助): a joint report names
        each indicator it serves, however much more it says of the first."""
        full = self.full_names[self.index[cand.indicator.code]]
        return sum(n for n, _, term in cand.body_terms if term == full)

    def _cand(self, cands: dict[int, Candidate], i: int) -> Candidate:
        if i not in cands:
            cands[i] = Candidate(self.indicators[i])
        return cands[i]

    # -- public -------------------------------------------------------------------------------
    def candidates(self, title: str, text: str, paths: list[str] | None = None,
                   department: str | None = None) -> list[Candidate]:
        """Every indicator with any evidence, best first (no threshold)."""
        cands: dict[int, Candidate] = {}
        title_hits = self._hits(title or "")
        body_hits = self._hits(text or "")
        # Long documents mention many things: saturation grows with the square root of length.
        half = BODY_HALF * max(1.0, len(text or "") / 3000) ** 0.5
        for key in sorted(set(title_hits) | set(body_hits)):
            i, term = key
            n_body, w = body_hits.get(key) or (0, title_hits[key][1])
            in_title = key in title_hits
            cand = self._cand(cands, i)
            cand.score += w * ((TITLE_WEIGHT if in_title else 0.0) + BODY_WEIGHT * n_body / (n_body + half))
            cand.specific |= (i, term) not in self.generic or (in_title and (i, term) in self.title_only)
            if in_title:
                cand.title_terms.append(term)
            if n_body:
                cand.body_terms.append((n_body, w, term))
        self._path_evidence(paths or [], title or "", cands)
        if department:
            dept = re.sub(r"\s+", "", normalize_text(department))
            for i, cand in cands.items():
                for key, weight in self.dept_keys[i]:
                    if dept.endswith(key) or dept == key:
                        cand.score += weight
                        cand.department_note = "牵头单位一致" if weight == DEPT_PRIMARY else "协同单位一致"
                        break
        for cand in cands.values():   # longest terms first in reasons: they are the telling ones
            cand.title_terms.sort(key=lambda t: (-len(t), t))
            cand.title_terms = [t for k, t in enumerate(cand.title_terms) if not any(t in o for o in cand.title_terms[:k])]
        return sorted(cands.values(), key=lambda c: (-c.score, c.indicator.code))

    def suggest(self, title: str, text: str, paths: list[str], department: str | None) -> list[TagSuggestion]:
        """The tags a document deserves: over the threshold, near the best, at most MAX_TAGS."""
        return self.choose(self.candidates(title, text, paths, department))

    def choose(self, candidates: list[Candidate]) -> list[TagSuggestion]:
        """The tags among `candidates` (from `candidates()`) that pass the threshold."""
        cands = [c for c in candidates if c.specific]
        if not cands:
            return []
        # A filing by folder does not silence the text: the relative cut compares text evidence
        # with the best text evidence, so a document filed under Ⅲ-42 may also prove Ⅲ-114.
        best_text = max(c.score - c.path_score for c in cands)
        chosen = [c for c in cands
                  if c.path_score >= PATH_FILE_NAME
                  or (c.confidence >= MIN_CONFIDENCE and c.score - c.path_score >= RELATIVE_CUT * best_text)
                  or (c.confidence >= NAMED_CONFIDENCE and self._name_count(c) >= 2)]
        return [TagSuggestion(c.indicator.code, c.source, min(c.confidence, 0.99), c.reason())
                for c in chosen[:MAX_TAGS]]

"""The workspace: a folder with dossier.toml at its root, found like git finds .git."""
from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from common.errors import os_reason, NoWorkspace, WorkspaceError
from common.files import atomic_write
from common.messages import _

CONFIG_NAME = "dossier.toml"
ENV_VAR = "DOSSIER_WORKSPACE"
DEFAULT_SYSTEM = "civilized-city"
DEFAULT_REQUIRED_YEARS = {"statistics": 2, "activity": 3}
DEFAULT_MAX_FILE_MB = 200
SEARCH_ENGINES = ("whoosh", "tantivy")     # archive.index.ENGINES has one backend for each
DEFAULT_ENGINE = "whoosh"
OCR_ENGINES = ("rapidocr", "tesseract")     # archive.ocr.engine reads pages with each
DEFAULT_OCR_ENGINE = "rapidocr"
DEFAULT_OCR_LOW_CONFIDENCE = 80              # a page read less surely than this (0-100) goes to review
# [checks]: what the quality checks of the material accept (dossier check).
DEFAULT_CHECKS = {
    "min_photo_edge": 800,        # pixels on a photo's short side
    "min_sharpness": 30.0,        # variance of the Laplacian on the photo scaled to 1024 pixels
    "min_jpeg_quality": 40,       # estimated from the JPEG's quantization tables (1-100)
    "duplicate_distance": 6,      # bits apart (of 64) for two photos to be the same picture
}
SETTING_CEILINGS = {"min_jpeg_quality": 100, "duplicate_distance": 64}
# [online]: the limits of the online submission's upload (dossier export online).
DEFAULT_ONLINE = {"image_long_edge": 1920, "image_max_kb": 500, "pdf_max_mb": 10}


@dataclass
class Config:
    system: str = DEFAULT_SYSTEM
    assessment_year: int = dt.date.today().year
    deadline: dt.date | None = None
    required_years: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REQUIRED_YEARS))
    aliases: dict[str, str] = field(default_factory=dict)
    max_file_mb: int = DEFAULT_MAX_FILE_MB
    build: dict[str, str] = field(default_factory=dict)   # names on the dossiers: fonds, retention, compiler, checker
    engine: str = DEFAULT_ENGINE                          # [search] engine: the full-text engine of the index
    ocr_engine: str = DEFAULT_OCR_ENGINE                  # [ocr] engine: who reads scans
    ocr_low_confidence: float = DEFAULT_OCR_LOW_CONFIDENCE  # [ocr] low_confidence
    checks: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CHECKS))   # [checks]
    online: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_ONLINE))   # [online]

    def to_toml(self) -> dict:
        data: dict = {"system": self.system, "assessment_year": self.assessment_year}
        if self.deadline:
            data["deadline"] = self.deadline
        data["required_years"] = dict(self.required_years)
        data["departments"] = {"aliases": dict(self.aliases)}
        data["ingest"] = {"max_file_mb": self.max_file_mb}
        data["build"] = dict(self.build)
        data["search"] = {"engine": self.engine}
        data["ocr"] = {"engine": self.ocr_engine, "low_confidence": self.ocr_low_confidence}
        data["checks"] = dict(self.checks)
        data["online"] = dict(self.online)
        return data


@dataclass
class Workspace:
    root: Path
    config: Config

    @property
    def catalog_path(self) -> Path:
        return self.root / "catalog.sqlite"

    @property
    def store_dir(self) -> Path:
        return self.root / "store"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    @property
    def systems_dir(self) -> Path:
        """Indicator systems imported by the user (override built-ins with the same id)."""
        return self.root / "systems"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def lock_path(self) -> Path:
        return self.root / ".dossier.lock"

    def own_paths(self) -> list[Path]:
        """What the workspace itself keeps in its folder: never material to ingest."""
        catalog = self.catalog_path
        return [self.root / CONFIG_NAME, catalog, catalog.with_name(catalog.name + "-wal"),
                catalog.with_name(catalog.name + "-shm"), self.store_dir, self.index_dir, self.out_dir,
                self.cache_dir, self.systems_dir, self.lock_path]

    def department_name(self, name: str | None) -> str | None:
        """The canonical department name, through the alias table of dossier.toml."""
        if not name:
            return None
        name = name.strip()
        return self.config.aliases.get(name, name)


# Every setting dossier.toml may hold, by table: a misspelt key is said, never silently ignored.
KNOWN_SETTINGS: dict[str, set[str] | None] = {
    "system": None, "assessment_year": None, "deadline": None,
    "required_years": set(DEFAULT_REQUIRED_YEARS), "departments": {"aliases"}, "ingest": {"max_file_mb"},
    "build": {"fonds", "retention", "compiler", "checker"}, "search": {"engine"}, "ocr": {"engine", "low_confidence"},
    "checks": set(DEFAULT_CHECKS), "online": set(DEFAULT_ONLINE),
}


def _parse_config(path: Path) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise WorkspaceError(_("{path} 不是 UTF-8 编码的文本：请用文本编辑器另存为 UTF-8").format(path=path)) from None
    except OSError as exc:
        raise WorkspaceError(_("无法读取 {path}：{why}").format(path=path, why=os_reason(exc))) from exc
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(_("{path} 不是有效的 TOML（{exc}）：请改正这个文件").format(path=path, exc=exc)) from exc
    _check_known(path, raw)
    cfg = Config()
    cfg.system = _text(path, raw, "system", cfg.system)
    year = raw.get("assessment_year", cfg.assessment_year)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise WorkspaceError(_("{path}：assessment_year 必须是年份，例如 2026").format(path=path))
    cfg.assessment_year = year
    cfg.deadline = _deadline(path, raw.get("deadline"))
    years = _table(path, raw, "required_years")
    for kind, value in years.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 20:
            raise WorkspaceError(_("{path}：required_years.{kind} 必须是 1–20 之间的整数").format(path=path, kind=kind))
        cfg.required_years[kind] = value
    aliases = _table(path, _table(path, raw, "departments"), "aliases")
    cfg.aliases = {str(k).strip(): str(v).strip() for k, v in aliases.items()}
    size = _table(path, raw, "ingest").get("max_file_mb", cfg.max_file_mb)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise WorkspaceError(_("{path}：[ingest] max_file_mb 必须是正整数（兆字节），例如 200").format(path=path))
    cfg.max_file_mb = size
    cfg.build = {str(k): str(v).strip() for k, v in _table(path, raw, "build").items()}
    engine = _table(path, raw, "search").get("engine", DEFAULT_ENGINE)
    if engine not in SEARCH_ENGINES:
        raise WorkspaceError(_("{path}：[search] engine 只能是 {engines}（改好后运行 dossier reindex）").format(
            path=path, engines="、".join(SEARCH_ENGINES)))
    cfg.engine = engine
    cfg.ocr_engine, cfg.ocr_low_confidence = _ocr_settings(path, raw.get("ocr", {}))
    for table, defaults, target in (("checks", DEFAULT_CHECKS, cfg.checks), ("online", DEFAULT_ONLINE, cfg.online)):
        for key, value in _table(path, raw, table).items():
            whole = isinstance(defaults[key], int)
            if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) \
                    or not math.isfinite(value) or not 0 < value <= SETTING_CEILINGS.get(key, 1e9):
                raise WorkspaceError(_("{path}：[{table}] {key} 必须是大于 0 的{what}，例如 {example}").format(
                    path=path, table=table, key=key, what=_("整数") if whole else _("数"), example=defaults[key]))
            target[key] = value
    return cfg


def _check_known(path: Path, raw: dict) -> None:
    for key, value in raw.items():
        if key not in KNOWN_SETTINGS:
            raise WorkspaceError(_("{path}：不认识的设置项 {key}：请检查拼写（可用的有：{known}）").format(
                path=path, key=key, known="、".join(KNOWN_SETTINGS)))
        inner = KNOWN_SETTINGS[key]
        if inner is not None and isinstance(value, dict):
            for sub in value:
                if sub not in inner:
                    raise WorkspaceError(_("{path}：[{table}] 中不认识的设置项 {key}：请检查拼写（可用的有：{known}）").format(
                        path=path, table=key, key=sub, known="、".join(sorted(inner))))


def _table(path: Path, raw: dict, name: str) -> dict:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise WorkspaceError(_("{path}：{name} 必须是一个表（[{name}] 下面写“名称 = 值”）").format(path=path, name=name))
    return value


def _text(path: Path, raw: dict, name: str, default: str) -> str:
    value = raw.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise WorkspaceError(_("{path}：{name} 必须是加引号的文字，例如 {name} = \"{default}\"").format(
            path=path, name=name, default=default))
    return value.strip()


def _deadline(path: Path, value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = False
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise WorkspaceError(_("{path}：deadline 必须是日期，例如 2026-05-26").format(path=path))


def _ocr_settings(path: Path, ocr: object) -> tuple[str, float]:
    if not isinstance(ocr, dict):
        raise WorkspaceError(_("{path}：[ocr] 必须是一个表（engine、low_confidence）").format(path=path))
    engine = ocr.get("engine", DEFAULT_OCR_ENGINE)
    if engine not in OCR_ENGINES:
        raise WorkspaceError(_("{path}：[ocr] engine 只能是 {engines}").format(path=path, engines="、".join(OCR_ENGINES)))
    low = ocr.get("low_confidence", DEFAULT_OCR_LOW_CONFIDENCE)
    if isinstance(low, bool) or not isinstance(low, (int, float)) or not 0 <= low <= 100:
        raise WorkspaceError(_("{path}：[ocr] low_confidence 必须是 0–100 之间的数，例如 80").format(path=path))
    return engine, float(low)


def write_config(root: Path, config: Config) -> None:
    path = root / CONFIG_NAME
    atomic_write(path, "# dossier workspace settings (see README)\n" + tomli_w.dumps(config.to_toml()))


def find_workspace_root(start: Path | None = None) -> Path | None:
    """The nearest folder from `start` upward that holds dossier.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def open_workspace(explicit: str | os.PathLike | None = None) -> Workspace:
    """The workspace named by -w, else $DOSSIER_WORKSPACE, else found from the current folder."""
    given = explicit or os.environ.get(ENV_VAR)
    if given:
        root = Path(given).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise NoWorkspace(_("{root} 不是 dossier 工作区（没有 {config}）：请先运行 dossier init {root}").format(root=root, config=CONFIG_NAME))
    else:
        found = find_workspace_root()
        if found is None:
            raise NoWorkspace(_("当前文件夹及其上级都不是 dossier 工作区：请先运行 dossier init，或用 -w 指定工作区"))
        root = found
    return Workspace(root=root, config=_parse_config(root / CONFIG_NAME))


def init_workspace(
    root: Path,
    *,
    system: str = DEFAULT_SYSTEM,
    assessment_year: int | None = None,
    deadline: dt.date | None = None,
    engine: str = DEFAULT_ENGINE,
) -> tuple[Workspace, bool]:
    """Create (or reopen) a workspace. Returns it and whether it was newly created."""
    root = root.expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(_("{root} 已存在且不是文件夹：请换一个位置").format(root=root))
    existing = (root / CONFIG_NAME).is_file()
    if existing:
        ws = Workspace(root=root, config=_parse_config(root / CONFIG_NAME))
    else:
        root.mkdir(parents=True, exist_ok=True)
        if engine not in SEARCH_ENGINES:
            raise WorkspaceError(_("未知的检索引擎“{engine}”：可用 {engines}").format(engine=engine, engines="、".join(SEARCH_ENGINES)))
        cfg = Config(system=system, deadline=deadline, engine=engine)
        if assessment_year:
            cfg.assessment_year = assessment_year
        write_config(root, cfg)
        ws = Workspace(root=root, config=cfg)
    for folder in (ws.store_dir, ws.index_dir, ws.out_dir, ws.cache_dir):
        folder.mkdir(exist_ok=True)
    return ws, not existing

"""The house rules of ARCHITECTURE.md, read from the code's own imports (ast), not by hand."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("common", "archive", "dossier")
# What each layer may import of ours (its own layer is always allowed).
MAY_IMPORT = {
    "common": set(),
    "archive": {"common"},
    "dossier": {"common", "archive"},
    "cli": {"common", "dossier.operations", "dossier.console", "web"},
    "web": {"common", "dossier.operations"},
    "bench": {"common", "archive", "dossier", "examples", "web"},
    "examples": {"common", "archive", "dossier"},
}
# Packages with a face: from outside, only the package itself may be imported, not its modules.
FACED = ("archive.catalogue", "archive.extract", "archive.index", "archive.ingest", "archive.ocr",
         "dossier.systems", "dossier.judge", "dossier.coverage", "dossier.build", "dossier.operations",
         "dossier.console", "web")
SQL_CALLS = {"execute", "executemany", "executescript"}
# Measurements of one engine's own steps, white-box by design (named here, so no other is).
WHITE_BOX = {"bench/ocr_cer.py": "archive.ocr"}
# `python -m dossier` is a front door: it starts the command line.
ENTRY_POINTS = {"dossier.__main__": "cli"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources(*tops: str) -> list[Path]:
    files = []
    for top in tops:
        target = ROOT / top
        files += [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    return files


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every module or name imported, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _ours(name: str) -> bool:
    return name.split(".")[0] in (*LIBRARY, "cli", "web", "bench", "examples")


def _layer(module: str) -> str:
    return module.split(".")[0]


def _allowed(importer: str, name: str) -> bool:
    own = _layer(importer)
    if _layer(name) == own and own != "dossier":
        return True
    if own == "dossier" and _layer(name) == "dossier":
        # The library part of dossier/ never reaches up to the front ends' operations or console.
        front = ("dossier.operations", "dossier.console")
        return importer.startswith(front) or not name.startswith(front)
    return any(name == allowed or name.startswith(allowed + ".") for allowed in MAY_IMPORT[own])


def _face_of(name: str) -> str | None:
    return next((face for face in FACED if name.startswith(face + ".")), None)


def _exported(face: str) -> set[str]:
    """The names a face's __init__.py lists in __all__."""
    tree = ast.parse((ROOT / face.replace(".", "/") / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def _violations() -> list[str]:
    problems = []
    for path in _sources(*LIBRARY, "cli", "web", "bench", "examples"):
        importer = _module_name(path)
        for line, name in _imports(path):
            if not _ours(name):
                continue
            where = f"{path.relative_to(ROOT)}:{line} imports {name}"
            if ENTRY_POINTS.get(importer) == name.split(".")[0]:
                continue
            if not _allowed(importer, name):
                problems.append(f"{where}: {_layer(importer)} may not import this")
            face = _face_of(name)
            if face and WHITE_BOX.get(str(path.relative_to(ROOT))) == face:
                continue
            if face and not (importer == face or importer.startswith(face + ".")):
                member = name[len(face) + 1:].split(".")[0]
                if member in _exported(face) and name == f"{face}.{member}":
                    continue
                if (ROOT / face.replace(".", "/") / f"{member}.py").exists() or \
                        (ROOT / face.replace(".", "/") / member).is_dir():
                    problems.append(f"{where}: import it from the face {face} instead")
    return problems


def test_layers_import_only_what_architecture_md_allows():
    assert _violations() == []


def test_only_the_catalogue_speaks_sql():
    speaking = []
    for path in _sources(*LIBRARY, "cli", "web"):
        if _module_name(path).startswith("archive.catalogue"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
                speaking.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert speaking == []


def test_no_engine_outside_the_index_package():
    engines = ("whoosh", "tantivy")
    leaks = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in _sources(*LIBRARY, "cli", "web") if not _module_name(path).startswith("archive.index")
             for line, name in _imports(path) if name.split(".")[0] in engines]
    assert leaks == []


def test_modules_stay_readable_in_one_sitting():
    long = [f"{path.relative_to(ROOT)} ({n} lines)" for path in _sources(*LIBRARY, "cli", "web")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500]
    assert long == []
    thick = [f"{path.relative_to(ROOT)} ({n} lines)" for path in _sources("cli", "web")
             if (n := len(path.read_text(encoding="utf-8").splitlines())) >= 300]
    assert thick == []      # front ends are thin shells: parse, call one operation, present


def test_the_rules_catch_a_breach(tmp_path):
    """The checker itself: a made-up archive module importing dossier is caught."""
    assert not _allowed("archive.store", "dossier.systems.load_system")
    assert _allowed("dossier.judge.classify", "archive.catalogue.Transaction")
    assert not _allowed("cli", "archive.catalogue.connect")
    assert _face_of("archive.index.whoosh_engine.WhooshBackend") == "archive.index"


def test_every_message_is_a_literal_the_catalogue_can_collect():
    """`_()` takes one string literal (placeholders filled by .format after the lookup), so that
    gettext/Babel extraction finds every message and a translation can reorder placeholders."""
    bad = []
    for path in _sources(*LIBRARY, "cli", "web"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                if len(node.args) != 1 or not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == []

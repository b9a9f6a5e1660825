"""The hostile corpus: every case written under one folder, each with what a correct ingest does.
The older malformed suite (examples/malformed.py) is part of it."""
from __future__ import annotations

from pathlib import Path

from examples.malformed import build_malformed
from tests.hostile.case import Case, Folder
from tests.hostile.images import add_images
from tests.hostile.names import add_names
from tests.hostile.office import add_office
from tests.hostile.pdfs import add_pdfs
from tests.hostile.texts import add_texts


def build_corpus(dest: Path) -> list[Case]:
    """Write the corpus under `dest`/来源 (scratch files beside it); returns its cases."""
    source = Path(dest) / "来源"
    scratch = Path(dest) / "草稿"
    scratch.mkdir(parents=True, exist_ok=True)
    folder = Folder(source)
    for make in (add_pdfs, add_office, add_texts, add_images, add_names):
        make(folder, scratch)
    older = [Case(c.name, c.path, c.expect, c.why) for c in build_malformed(source / "旧套件")]
    return folder.cases + older

"""The project's added vocabulary: today's words for each indicator's subject.

The built-in systems' keywords speak the 2008–2011 system's words; documents of today say
新时代文明实践站, 河长制, 国家宪法日. schemas/vocabulary/<system id>.yaml lists, per indicator code,
such terms written by the project from the indicators' names and standards and the field's
usage (not from reference text, and not from the documents tags are measured on). They join an
indicator's keywords for tagging and apply to any system with that id (a workspace's copy too).
"""
from __future__ import annotations

import functools

import yaml

from schemas import SCHEMAS_DIR


@functools.lru_cache(maxsize=None)
def added_vocabulary(system_id: str) -> dict[str, tuple[str, ...]]:
    """Code → added terms for a system id; empty when the project has none for it."""
    path = SCHEMAS_DIR / "vocabulary" / f"{system_id}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(code): tuple(str(t).strip() for t in terms or ()) for code, terms in (data.get("terms") or {}).items()}

"""The message catalogue: every line a person reads goes through `_`.

The messages are written in Chinese, the users' language, and are the catalogue's msgids; a
translation (say English) is a gettext catalogue `locale/<lang>/LC_MESSAGES/dossier.mo` beside
this file, chosen with DOSSIER_LANG=<lang>. `pybabel extract -F babel.cfg` collects the msgids.
Placeholders are named (`{path}`), filled with `.format` after the lookup, so a translation can
reorder them.
"""
from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "dossier"


@functools.cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """The message in the user's language (DOSSIER_LANG; Chinese when unset or untranslated)."""
    language = os.environ.get("DOSSIER_LANG", "")
    return _translation(language).gettext(message) if language else message

"""Building the dossiers: one volume (卷宗) per indicator as docx and pdf, and the 总目录."""
from dossier.build.pdf_convert import Converter
from dossier.build.preview import page_image
from dossier.build.volumes import FORMATS, MANIFEST, BuildResult, build_volumes, safe_stem

__all__ = ["Converter", "FORMATS", "MANIFEST", "BuildResult", "build_volumes", "safe_stem", "page_image"]

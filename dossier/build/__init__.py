"""Building the dossiers: one volume (卷宗) per indicator as docx and pdf, and the 总目录."""
from dossier.build.fonts import rezip
from dossier.build.pdf_convert import Converter
from dossier.build.preview import page_image
from dossier.build.plan import VolumePlan, plan_volumes
from dossier.build.volumes import FORMATS, MANIFEST, BuildResult, build_volumes, safe_name, safe_stem

__all__ = ["Converter", "FORMATS", "MANIFEST", "BuildResult", "build_volumes", "safe_name", "safe_stem", "page_image",
           "VolumePlan", "plan_volumes", "rezip"]

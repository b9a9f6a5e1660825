"""The terminal's presentation for cli.py: progress bars, tables and each command's lines."""
from dossier.console import lines
from dossier.console.progress import RichProgress
from dossier.console.shell import DossierGroup, emit_json, err, login_name, out, say
from dossier.console.tables import coverage_table, docs_table, indicators_table, systems_table

__all__ = ["DossierGroup", "login_name", "emit_json", "err", "out", "say", "lines", "RichProgress", "coverage_table", "docs_table", "indicators_table", "systems_table"]

"""Indicator systems (测评体系) as data: load, validate, list, and the office's Excel table in and out."""
from dossier.systems.model import (EVIDENCE_KINDS, EVIDENCE_LABELS, MATERIAL_REVIEW, Indicator, System,
                                   builtin_dir, derive_keywords, list_systems, load_system, load_system_file,
                                   normalize_code, parse_code, validate_data, validate_system_file)
from dossier.systems.xlsx import HEADERS, export_system_xlsx, import_system_xlsx, save_system

__all__ = ["EVIDENCE_KINDS", "EVIDENCE_LABELS", "MATERIAL_REVIEW", "Indicator", "System", "builtin_dir",
           "derive_keywords", "list_systems", "load_system", "load_system_file", "normalize_code", "parse_code",
           "validate_data", "validate_system_file", "HEADERS", "export_system_xlsx", "import_system_xlsx",
           "save_system"]

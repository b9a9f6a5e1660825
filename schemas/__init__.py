"""Indicator systems shipped with dossier, as data files (see system.schema.json)."""
from pathlib import Path

SCHEMAS_DIR = Path(__file__).resolve().parent

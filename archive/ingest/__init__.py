"""Ingest: departments' folders and files → store, catalogue and index, each file once."""
from archive.ingest.run import IngestSummary, extract_for_index, ingest
from archive.ingest.walk import Candidate, display_path, walk_sources

__all__ = ["IngestSummary", "extract_for_index", "ingest", "display_path", "walk_sources", "Candidate"]

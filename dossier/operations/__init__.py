"""The operations every front end calls — the command line, the web workbench, the benchmarks.

Each takes a Workspace (or a path to find one), opens what it needs, and returns data; none
prints. Errors are common.errors types, with the message a person reads.
"""
from archive.catalogue import DocumentFilter
from archive.progress import Progress
from archive.workspace import Workspace, open_workspace
from dossier.operations.archive_ops import (ingest, init, list_docs, query_terms, reindex, search, searching,
                                               show, verify)
from dossier.operations.browse_ops import Original, document, export_search, original, preview, volume_file, volumes
from dossier.judge import MATERIAL_LABELS, MATERIALS
from dossier.operations.check_ops import CheckReport, check
from dossier.operations.decide import RetagChange, retag, review, tag
from dossier.operations.export_ops import export_online
from dossier.operations.report_ops import BuildOutcome, CoverageView, build, coverage, missing_years, status
from dossier.operations import systems_ops as systems
from dossier.operations import users_ops as users

__all__ = ["DocumentFilter", "Progress", "Workspace", "open_workspace", "ingest", "init", "list_docs", "query_terms", "reindex",
           "search", "searching", "show", "verify", "RetagChange", "retag", "review", "tag", "BuildOutcome", "CoverageView",
           "build", "coverage", "missing_years", "status", "systems", "users",
           "Original", "document", "export_search", "original", "preview", "volume_file", "volumes",
           "MATERIALS", "MATERIAL_LABELS", "CheckReport", "check", "export_online"]

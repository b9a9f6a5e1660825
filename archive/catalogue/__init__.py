"""The catalogue (SQLite): the one place that speaks SQL to the workspace's truth.

Others import from here only: connect, Transaction, log_event, now, and the query functions
of its modules (documents, decisions, texts).
"""
from archive.catalogue.database import SCHEMA_VERSION, Transaction, connect, log_event, now
from archive.catalogue.texts import (all_document_ids, document_text, mark_indexed, numbered_pages, ocr_pages,
                                     page_texts, titled_texts)

__all__ = ["SCHEMA_VERSION", "Transaction", "connect", "log_event", "now", "all_document_ids", "document_text",
           "mark_indexed", "numbered_pages", "ocr_pages", "page_texts", "titled_texts"]

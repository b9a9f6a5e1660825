"""The catalogue (SQLite): the one place that speaks SQL to the workspace's truth.

Others import from here only: the connection and transactions, the one document filter, the
listings and details, the decisions (tags, years, kind with their provenance) and the reads that
judging, coverage and the volumes need.
"""
from archive.catalogue.database import SCHEMA_VERSION, Transaction, connect, log_event, now
from archive.catalogue.decisions import (AutoTag, Change, add_manual_tag, document_years, remove_manual_tag,
                                         set_auto_kind, set_auto_material, set_auto_tags, set_auto_years,
                                         set_activity, set_manual_kind, set_manual_material, set_manual_years)
from archive.catalogue.documents import (document_detail, document_summaries, document_summary, list_documents,
                                         resolve_doc)
from archive.catalogue.filters import DocumentFilter, matching_ids
from archive.catalogue.ocr_rows import (count_waiting_for_ocr, document_row, highest_document_id, ocr_candidates,
                                         page_totals, put_ocr_page, source_names, stored_pages, update_after_ocr)
from archive.catalogue.queries import (ConsistencyFacts, JudgingInput, consistency_facts, VolumeDocument, document_title, evidence_rows, filed_tags,
                                       check_rows, hit_rows, judging_input, materials, readable_ids, review_rows, rolled_back,
                                       source_paths, status_counts, volume_document)
from archive.catalogue.records import (NewDocument, document_by_hash, document_count, insert_document,
                                       known_source, put_source, record_failure, unindexed_ids)
from archive.catalogue.users import (delete_user, document_events, put_user, user_credentials,
                                     user_rows)
from archive.catalogue.suggestions import (Decisions, StoredSuggestion, rule_suggestions, set_rule_suggestions,
                                           tag_decisions, text_keys)
from archive.catalogue.texts import (all_document_ids, document_text, mark_indexed, numbered_pages, ocr_pages,
                                     page_texts, titled_texts)

__all__ = [
    "SCHEMA_VERSION", "Transaction", "connect", "log_event", "now",
    "AutoTag", "Change", "add_manual_tag", "document_years", "remove_manual_tag", "set_auto_kind", "set_auto_tags",
    "set_auto_years", "set_manual_kind", "set_manual_years", "set_auto_material", "set_manual_material", "set_activity",
    "document_detail", "document_summaries", "document_summary", "list_documents", "resolve_doc",
    "DocumentFilter", "matching_ids",
    "count_waiting_for_ocr", "document_row", "highest_document_id", "ocr_candidates", "page_totals", "put_ocr_page",
    "source_names", "stored_pages", "update_after_ocr", "ConsistencyFacts", "consistency_facts",
    "JudgingInput", "VolumeDocument", "document_title", "evidence_rows", "filed_tags", "hit_rows", "judging_input",
    "readable_ids", "materials", "check_rows", "review_rows", "rolled_back", "source_paths", "status_counts", "volume_document",
    "NewDocument", "document_by_hash", "document_count", "insert_document", "known_source", "put_source",
    "record_failure", "unindexed_ids",
    "delete_user", "document_events", "put_user", "user_credentials", "user_rows",
    "Decisions", "StoredSuggestion", "rule_suggestions", "set_rule_suggestions", "tag_decisions", "text_keys",
    "all_document_ids", "document_text", "mark_indexed", "numbered_pages", "ocr_pages", "page_texts", "titled_texts",
]

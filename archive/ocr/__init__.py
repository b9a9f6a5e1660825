"""OCR of scans and image-only PDF pages, after each ingest batch, cached by content and page."""
from archive.ocr.engine import (DEFAULT_OCR_ENGINE, OCR_ENGINES, OCR_VERSION, PageText, engine_label, engine_status,
                                ocr_page, pages_needing_ocr, usable_engine)
from archive.ocr.images import page_count, poppler_status
from archive.ocr.phase import MODES, OCR_NOTE, OcrCache, OcrSummary, run_ocr

__all__ = ["DEFAULT_OCR_ENGINE", "OCR_ENGINES", "OCR_VERSION", "PageText", "engine_label", "engine_status", "ocr_page",
           "pages_needing_ocr", "usable_engine", "page_count", "poppler_status", "MODES", "OCR_NOTE", "OcrCache",
           "OcrSummary", "run_ocr"]

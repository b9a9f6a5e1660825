"""OCR of scans and image-only PDF pages, after each ingest batch, cached by content and page."""
from archive.ocr.engine import OCR_VERSION, ocr_page, page_count, pages_needing_ocr, poppler_status, tesseract_status
from archive.ocr.phase import MODES, OCR_NOTE, OcrCache, OcrSummary, run_ocr

__all__ = ["OCR_VERSION", "ocr_page", "page_count", "pages_needing_ocr", "poppler_status", "tesseract_status",
           "MODES", "OCR_NOTE", "OcrCache", "OcrSummary", "run_ocr"]

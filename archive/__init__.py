"""The document archive: workspace, store, catalogue, text extraction, ingest, index and search."""

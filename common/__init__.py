"""What every layer of dossier shares and nothing of ours is imported by: the error types, the
message catalogue, atomic file writes and the LibreOffice runner."""

"""The evidence-dossier builder: indicator systems, tagging, coverage, reports and dossier assembly."""

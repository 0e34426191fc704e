"""Exports: the official statement PDF (stored as an artifact), DOCX, HTML, and the round's
compendium PDF and ZIP."""

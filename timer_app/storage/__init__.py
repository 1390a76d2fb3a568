"""The history store (SQLite) and CSV export/import."""

"""Pieces shared by every app: application errors and small helpers (no models)."""

"""Event triggers."""

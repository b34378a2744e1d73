"""Object type attributes."""

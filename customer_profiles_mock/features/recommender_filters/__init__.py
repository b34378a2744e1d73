"""Recommender filters: which catalog items a domain's recommendations include or exclude."""

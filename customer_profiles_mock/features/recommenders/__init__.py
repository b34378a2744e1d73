"""Recommenders: models that recommend catalog items to profiles, their recipes, inference."""

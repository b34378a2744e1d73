"""Recommender schemas: the data columns a domain's recommenders and filters may use."""

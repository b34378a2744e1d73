"""Calculated attributes."""

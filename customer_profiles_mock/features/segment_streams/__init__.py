"""Segment streams."""

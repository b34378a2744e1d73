"""Domains: their configuration, life cycle and operations."""

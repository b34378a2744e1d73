"""Profiles: the profile table, search keys, and the profile and key operations."""

"""Integrations: a domain's data sources and destinations, keyed by Uri."""

"""Tags: resolving ARNs to resources and the tag operations."""

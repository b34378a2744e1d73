"""Profile objects: the object store, ingestion and the object operations."""

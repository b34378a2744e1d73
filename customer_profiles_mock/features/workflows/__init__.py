"""Integration workflows: AppFlow flows that ingest historic data and set up an integration."""

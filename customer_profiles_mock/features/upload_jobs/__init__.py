"""Upload jobs: CSV files uploaded to a pre-signed URL and ingested into profiles."""

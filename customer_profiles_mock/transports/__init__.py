"""Every touch of a third-party HTTP client: botocore, aiobotocore and requests."""

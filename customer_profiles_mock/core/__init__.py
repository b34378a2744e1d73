"""What the features and the pipeline share: operation registry, call log, accounts."""

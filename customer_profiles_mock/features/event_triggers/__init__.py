"""Event triggers: rules on ingested objects that fire an integration (an outbound campaign)."""

"""Domain object types: a domain's own object types, apart from the profile-owned ones."""

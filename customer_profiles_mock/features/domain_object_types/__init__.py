"""Domain object types: a domain's own (not profile-owned) object types, such as a
recommender's item catalogue."""

"""Identity resolution: ML jobs and match groups, rule-based matching, auto-merging."""

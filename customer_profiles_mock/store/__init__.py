"""State containers that name no feature: accounts and regions, the generic domain, snapshots."""

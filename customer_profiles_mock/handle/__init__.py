"""The public handle, ``mock_customer_profiles``: activation, seeding, faults and the call log."""

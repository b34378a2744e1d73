"""Profile history: a record of every change the mock makes to a profile."""

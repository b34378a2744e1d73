"""Domain layouts: the Profile explorer layouts of a domain."""

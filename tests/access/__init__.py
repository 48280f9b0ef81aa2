"""Access rules and the access matrix."""

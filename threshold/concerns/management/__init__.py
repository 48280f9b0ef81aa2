"""Management commands of concerns."""

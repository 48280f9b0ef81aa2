"""Management commands of the demo world."""

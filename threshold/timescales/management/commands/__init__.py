"""The timescales commands: ``due`` prints a person's work list as JSON."""

"""Documents uploaded to concerns, allegations, cases and meetings."""

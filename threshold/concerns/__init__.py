"""The employer side: low-level concerns and allegations, from the staff room to the LADO."""

"""Pages and plumbing every part of Threshold shares: layout, errors, request ids, headers."""

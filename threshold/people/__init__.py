"""Person records: the adults concerns are about, children, referrers and contacts."""

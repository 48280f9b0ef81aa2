"""``create_system_admin``: the first account of a new deployment."""

"""``backup``, ``restore`` and ``policy``: commands shared by the whole project."""

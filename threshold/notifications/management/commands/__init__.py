"""``manage.py remind``."""

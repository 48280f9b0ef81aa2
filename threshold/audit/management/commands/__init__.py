"""``python manage.py audit verify`` and ``python manage.py audit checkpoint``."""

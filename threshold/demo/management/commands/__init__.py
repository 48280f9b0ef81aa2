"""``load_demo`` and ``demo_totp``."""

"""``load_demo``, ``demo_totp`` and friends."""

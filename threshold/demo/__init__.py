"""The demo world: synthetic organisations, personas and records for the demo, the tests, the bench and the README.

It sits above every other part of Threshold (it writes accounts, audit events and every record app's rows) and
nothing in ``threshold`` imports it: only the tests, the bench scripts and its own management commands
(``load_demo``, ``demo_totp``). ``world`` holds the organisations and personas, ``records`` the protected records.
"""

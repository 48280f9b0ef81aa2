"""The expected-access table, in one module per area of the product.

Each module defines ``TABLE``: a header line of persona keys, then one row per
URL name with the status each persona gets (GET, signed in with MFA). It may
also define ``ARGS``: for URL names that take parameters, a function from the
demo records' ids to the URL's arguments (it may create the records it needs).
A module per area lets people working on different features add rows
without editing the same lines.
"""

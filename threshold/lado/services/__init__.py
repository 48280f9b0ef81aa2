"""Every change of state on the LADO side, one module per part of the work.

Each service is a keyword-only function named ``<thing>_<verb>``: one
``transaction.atomic``, checks the actor's right through ``threshold.access``,
validates (raising ``ValidationError`` with a message per field), writes,
audits and adds the chronology line.
"""

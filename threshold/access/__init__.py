"""Who may see and do what: the only way to fetch protected records.

Views, APIs, exports and tasks call ``access_<thing>(user, id, action)`` for one
record and ``visible_<things>(user)`` for lists, counts and search. Both apply
the same rules (see ``docs/access.md``); a record the user may not see is
indistinguishable from one that does not exist.
"""

"""A case file, a LADO contact and an employer's referral laid out for paper, and as a PDF (issue 14).

The print pages show what the record's own page shows, shaped by the record
apps' own presenters and panels with every action turned off; they sit above
the record apps because the layers forbid a record app importing ``reports``.
"""

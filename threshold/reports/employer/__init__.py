"""The employer's dashboards: the trust's picture for its directors and DSLs, and a setting's own view.

Issue 14, "The employer side": low-level concerns by school, term, category and tier; adults with more than one
concern; allegations open, by step overdue and by outcome; the time from coming to attention to informing the
LADO. Every figure is counted in the database over what the reader may see (``threshold.access``), so a record
about the reader is never in it, and every page says so in the same words for everyone.
"""

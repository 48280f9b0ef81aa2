"""Presenters for the allegation pages: what stands on an allegation, shaped into the words its page shows.

The template only loops and renders GOV.UK components: every sentence, label,
Yes or No, date and link the page shows is decided here. ``allegation`` puts the
page together; ``sections`` and ``outcome`` shape its parts; ``common`` holds
the small pieces they share. Presenters read; they never write.
"""

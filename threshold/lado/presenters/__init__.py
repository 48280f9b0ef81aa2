"""Presenters for the LADO pages: cases, their recording data set and meetings, shaped into what the templates show.

Views fetch through ``threshold.access``, hand the records to a presenter and
render what it returns; presenters read (through selectors and the records they
are given) and never write, and import no view.
"""

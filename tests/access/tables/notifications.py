"""Rows for notifications: every signed-in person's own notifications page and email settings.

Each lists or changes only the person's own notifications and preference, so every persona gets 200 (a
system administrator too: they have no notifications about case data). "Mark all as read" is a POST only.
"""

from __future__ import annotations

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
notifications                        200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
notifications_mark_read              405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
notification_settings                200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
"""

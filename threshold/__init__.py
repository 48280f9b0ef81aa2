"""Threshold: case management for allegations and concerns about adults who work with children."""

"""The chronology of a record: what happened, in order, never edited in place."""

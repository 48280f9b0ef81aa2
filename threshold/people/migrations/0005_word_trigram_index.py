"""The trigram index over a key's word alone, not its kind prefix (ADR 0032).

pg_trgm reads "s:mia" as the words "s" and "mia": every key shares the prefix's trigrams, so a short surname was
"like" a third of all keys (162,000 of 1.6 million at six authorities) and each search rechecked them all. The
word after the two-character prefix (``substring(key, 3)``) is what is compared now, in an index per kind that a
likeness is asked of, each holding that kind's keys only (``people.models.adult_key_rows``).
"""

from django.db import migrations

OLD_INDEX = "people_adultkey_key_trgm"
# One index per kind a likeness is asked of (surnames, employers' words), each holding only that kind's keys.
WORD_INDEXES = {"people_adultkey_surname_trgm": "s:", "people_adultkey_employer_trgm": "e:"}


def word_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    for name, kind in WORD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_adultkey USING gin ((substring(key, 3)) gin_trgm_ops) "
            f"WHERE key LIKE '{kind}%%'"
        )


def key_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in WORD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON people_adultkey USING gin (key gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_match_keys")]

    operations = [migrations.RunPython(word_index, key_index)]

"""The services of an import: upload, map, check (the dry run), import, undo, and forget the file.

Only a LADO manager of the local authority imports its records (``Scope.lado_manage``), and a run is its
starter's alone: it holds their file, so nobody else opens it (a colleague could find a row about
themselves in it). Each service is one durable transaction with its audit event; the import itself
commits a batch of rows at a time, so a large file keeps memory flat and shows its progress, and a
failure part-way leaves whole rows only (a re-run carries on: what was imported is unchanged).

``mapping`` takes the file in and maps it, ``running`` checks and imports it, ``undo`` takes it back,
``writing`` writes one row's records; ``common`` is what they share.
"""

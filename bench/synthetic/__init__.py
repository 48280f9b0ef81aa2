"""The parts of ``bench/generate.py``: a large, valid world built in bulk from the demo world (issue 15)."""

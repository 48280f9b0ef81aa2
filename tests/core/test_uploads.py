"""Uploads are received only up to their limit, counted over all the request's files (``core.uploads``).

A multipart POST may carry up to ``DATA_UPLOAD_MAX_NUMBER_FILES`` files: limited one file at a time, a hundred
files each under the limit were all written to temporary files before the view saw the request.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory

from threshold.core.uploads import SizeLimitUploadHandler

KB = 1024


def test_the_files_of_one_request_are_skipped_once_they_pass_the_limit_between_them() -> None:
    handler = SizeLimitUploadHandler(RequestFactory().post("/"), limit=100 * KB)
    assert handler.receive_data_chunk(b"x" * 60 * KB, 0) == b"x" * 60 * KB  # the first file, whole
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"y" * 60 * KB, 0)  # the second file's first chunk passes the limit
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"z", 0)  # and nothing of any later file is taken
    assert handler.exceeded

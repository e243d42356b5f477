"""Encrypted JSON documents read back as they were written, whatever json.dumps wrote."""

from __future__ import annotations

import math

from trellis.security.fields import EncryptedJSONField


def stored_and_read(document):
    field = EncryptedJSONField()
    return field.from_db_value(field.get_prep_value(document), None, None)


def test_a_document_reads_back_equal_with_its_types():
    document = {"review_on": "2026-03-01", "level": "2.1", "n": 3, "x": 0.1, "ok": True,
                "none": None, "names": ["Zoë", "東京", "\u2028"], "nested": {"a": [1, [2.5]]}}  # fmt: skip

    assert stored_and_read(document) == document


def test_what_only_the_json_module_reads_still_reads_back():
    document = {"nan": math.nan, "inf": math.inf, "big": 2**70}

    read = stored_and_read(document)

    assert math.isnan(read["nan"])
    assert (read["inf"], read["big"]) == (math.inf, 2**70)


def test_an_empty_value_reads_as_none():
    assert EncryptedJSONField().from_db_value("", None, None) is None

"""The technician's calibration kept on the data partition: read back whole, or not at all."""

from __future__ import annotations

from appliance.touch import kept


def test_a_kept_calibration_is_read_back(tmp_path):
    kept.save(tmp_path, (1.0, 0.0, -0.05, 0.0, 1.0, 0.02), "Camille")
    assert kept.load(tmp_path) == (1.0, 0.0, -0.05, 0.0, 1.0, 0.02)
    assert kept.remove(tmp_path) and kept.load(tmp_path) is None
    assert not kept.remove(tmp_path)


def test_a_damaged_or_unusable_file_leaves_the_configured_matrix(tmp_path):
    path = tmp_path / kept.KEPT
    path.parent.mkdir(parents=True)
    for text in ("", "{", "[]", '{"matrix": [1, 0, 0]}', '{"matrix": [1, 2, 0, 2, 4, 0]}',
                 '{"matrix": [1e400, 0, 0, 0, 1, 0]}', '{"matrix": "identity"}'):  # fmt: skip
        path.write_text(text)
        assert kept.load(tmp_path) is None, text

"""The update-size bench's counting (image/update_bench.py) on plain files."""

from __future__ import annotations

import update_bench


def test_zero_blocks_are_not_counted_and_equal_blocks_hash_alike(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    block = update_bench.BLOCK
    a.write_bytes(b"x" * block + bytes(block) + b"y" * block + b"tail")
    b.write_bytes(b"y" * block + b"z" * block)
    old, new = update_bench.block_hashes(a), update_bench.block_hashes(b)
    assert len(old) == 3  # x, y and the short tail; the zero block is free
    assert [digest in set(old) for digest in new] == [True, False]


def test_the_changed_tree_leaves_the_built_root_untouched(tmp_path):
    root = tmp_path / "rootfs"
    module = root / update_bench.CHANGED
    version = root / "usr/lib/totem/version"
    pyc = module.parent / "__pycache__" / "app.cpython-313.pyc"
    for path, text in ((module, b"code\n"), (version, b"0.1.0+1\n"), (pyc, b"pyc")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
    (root / "usr/lib/totem/other").write_bytes(b"same")
    (tmp_path / "out").mkdir()
    tree = update_bench.changed_tree(root, tmp_path / "out")
    assert module.read_bytes() == b"code\n" and pyc.read_bytes() == b"pyc"
    changed = tree / update_bench.CHANGED
    assert changed.read_bytes().startswith(b"code\n") and changed.read_bytes() != b"code\n"
    same = "usr/lib/totem/other"
    assert (tree / same).stat().st_ino == (root / same).stat().st_ino  # still hard-linked

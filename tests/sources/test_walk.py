"""Walking a share: links followed when asked, loops reported once, nothing skipped silently."""

from __future__ import annotations

import os

from scanner.sources.walk import Unwalkable, WalkOptions, walk


def _items(root, follow=False):
    return list(walk([str(root)], WalkOptions(follow_symlinks=follow)))


def test_follow_symlinks_reports_a_loop_once_and_ends(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text("x")
    os.symlink("..", tmp_path / "d" / "sub" / "up")
    items = _items(tmp_path / "d", follow=True)
    loops = [i for i in items if isinstance(i, Unwalkable)]
    assert [i.path for i in loops] == [str(tmp_path / "d" / "sub" / "up")]
    assert loops[0].reason == "unsupported" and "loop" in loops[0].detail
    assert [i for i in items if isinstance(i, str)] == [str(tmp_path / "d" / "a.txt")]


def test_a_fifo_inside_a_walked_directory_gets_a_record(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "a.txt").write_text("x")
    items = _items(tmp_path)
    assert Unwalkable(str(tmp_path / "pipe"), "unsupported", "not a regular file (fifo)") in items
    assert str(tmp_path / "a.txt") in items


def test_links_to_one_directory_from_two_places_walk_it_once(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.txt").write_text("x")
    os.symlink(tmp_path / "real", tmp_path / "link")
    files = [i for i in _items(tmp_path, follow=True) if isinstance(i, str)]
    assert len(files) == 1

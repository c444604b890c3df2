"""Recovery copies (core.recovery): where autosave writes, what it lists, what it removes."""

import json

import pytest

from core import recovery
from core.drafts import to_dict


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path / "appdata"))
    return tmp_path / "appdata"


def test_copy_paths_are_in_the_app_data_folder_never_beside_the_file(data, tmp_path):
    user_file = tmp_path / "docs" / "福田.json"
    p = recovery.copy_path(user_file)
    assert p.parent == data / "recovery"
    assert p.name.startswith("福田-") and p.name.endswith(".recovery.json")
    assert recovery.copy_path(user_file) == p  # stable for one file
    assert recovery.copy_path(tmp_path / "other" / "福田.json") != p  # same name elsewhere: another copy
    assert recovery.copy_path(None, "abc").name == "untitled-abc.recovery.json"


def test_write_list_load_remove(data, example, tmp_path):
    example.figures["satisfaction"] = "96"
    target = recovery.copy_path(tmp_path / "x.json")
    recovery.write(example, target, tmp_path / "x.json")
    found = recovery.copies()
    assert [c.path for c in found] == [target]
    assert found[0].original == str((tmp_path / "x.json").resolve()) and found[0].name == "x.json"
    doc = recovery.load(found[0])
    a, b = to_dict(doc), to_dict(example)
    a.pop("saved_at"), b.pop("saved_at")
    assert a == b
    recovery.remove(target)
    assert recovery.copies() == []
    recovery.remove(target)  # already gone: no error


def test_damaged_copy_is_listed_and_refused_in_chinese(data):
    (data / "recovery").mkdir(parents=True)
    bad = data / "recovery" / "untitled-x.recovery.json"
    bad.write_text("{", encoding="utf-8")
    (c,) = recovery.copies()
    assert c.name == "未命名文档"
    with pytest.raises(recovery.DraftError, match="已损坏"):
        recovery.load(c)


def test_no_folder_no_copies(data):
    assert recovery.copies() == []


def test_copy_is_a_draft_with_its_origin(data, example):
    target = recovery.copy_path(None, "s1")
    recovery.write(example, target, None)
    raw = json.loads(target.read_text(encoding="utf-8"))
    assert raw["format"] == "jixiao-draft" and raw["recovery_of"] == ""


def test_copies_of_a_running_program_are_not_offered(data, example):
    target = recovery.copy_path(None, "other")
    recovery.write(example, target, None)
    raw = json.loads(target.read_text(encoding="utf-8"))
    raw["recovery_pid"] = 424242  # another process
    target.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert recovery.copies(alive=lambda pid: True) == []  # that window is still open
    (c,) = recovery.copies(alive=lambda pid: False)  # it crashed
    assert c.pid == 424242


def test_own_copies_are_listed(data, example):
    target = recovery.copy_path(None, "mine")
    recovery.write(example, target, None)
    assert [c.path for c in recovery.copies(alive=lambda pid: True)] == [target]

from pathlib import Path

from core.framework import load_framework
from core.paths import data_dir, example_path, frameworks, resource_root


def test_resources_are_found_from_source():
    assert example_path().is_file()
    found = frameworks()
    assert "futian-2020.json" in [p.name for p in found]  # the one the example is filled against
    for path in found:  # every shipped framework is a framework file the program loads
        assert path.suffix == ".json" and path.parent == resource_root() / "frameworks"
        assert load_framework(path).leaves


def test_app_data_folder_per_platform():
    assert (
        data_dir({"APPDATA": r"C:\Users\李武\AppData\Roaming"}, "win32")
        == Path(r"C:\Users\李武\AppData\Roaming") / "jixiao"
    )
    assert (
        data_dir({"USERPROFILE": r"C:\Users\li"}, "win32")
        == Path(r"C:\Users\li") / "AppData" / "Roaming" / "jixiao"
    )
    assert data_dir({"HOME": "/home/li"}, "linux") == Path("/home/li/.local/share/jixiao")
    assert data_dir({"XDG_DATA_HOME": "/x"}, "linux") == Path("/x/jixiao")
    assert data_dir({"JIXIAO_DATA_DIR": "/t", "APPDATA": "/a"}, "win32") == Path("/t")

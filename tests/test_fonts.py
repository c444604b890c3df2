"""Finding the report's fonts: Windows' 仿宋 / 黑体 / 宋体 / 楷体 in fake Windows folders, else the bundled font."""

from pathlib import Path

from core import fonts


def fake_windows(tmp_path: Path, *names: str) -> dict:
    folder = tmp_path / "Windows" / "Fonts"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(b"font")
    return {"WINDIR": str(tmp_path / "Windows")}


def test_windows_fonts_are_used_when_present(tmp_path):
    env = fake_windows(tmp_path, "simfang.ttf", "simhei.ttf", "simsun.ttc", "simkai.ttf")
    found = fonts.find_fonts(env, "win32")
    folder = tmp_path / "Windows" / "Fonts"
    assert found == {
        "fangsong": fonts.FontFile(folder / "simfang.ttf"),
        "heiti": fonts.FontFile(folder / "simhei.ttf"),
        "songti": fonts.FontFile(folder / "simsun.ttc"),
        "kaiti": fonts.FontFile(folder / "simkai.ttf"),
        "title": fonts.FontFile(folder / "simhei.ttf"),
    }  # no 小标宋: the title in 黑体
    assert not any(f.bundled for f in found.values())


def test_the_title_takes_xiaobiaosong_when_installed(tmp_path):
    env = fake_windows(tmp_path, "simhei.ttf", "FZXBSK.TTF")
    assert fonts.find_fonts(env, "win32")["title"].path.name == "FZXBSK.TTF"
    (tmp_path / "Windows" / "Fonts" / "FZXBSJW.TTF").write_bytes(b"font")
    assert fonts.find_fonts(env, "win32")["title"].path.name == "FZXBSJW.TTF"  # 简体 before _GBK


def test_a_missing_windows_font_falls_back_to_the_bundled_one(tmp_path):
    env = fake_windows(
        tmp_path, "SIMHEI.TTF", "simsun.ttc"
    )  # names in capitals, as some installers write them
    found = fonts.find_fonts(env, "win32")
    assert found["heiti"].path.name == "SIMHEI.TTF" and not found["heiti"].bundled
    assert found["songti"].path.name == "simsun.ttc"
    assert found["fangsong"] == found["kaiti"] == fonts.bundled_font()
    assert found["title"] == found["heiti"]


def test_systemroot_is_used_without_windir_and_a_missing_folder_is_no_error(tmp_path):
    env = fake_windows(tmp_path, "simfang.ttf")
    assert fonts.find_fonts({"SystemRoot": env["WINDIR"]}, "win32")["fangsong"].path.name == "simfang.ttf"
    found = fonts.find_fonts({"WINDIR": str(tmp_path / "nowhere")}, "win32")
    assert all(f.bundled for f in found.values())


def test_elsewhere_the_bundled_font_serves_every_role(tmp_path):
    env = fake_windows(tmp_path, "simfang.ttf")
    found = fonts.find_fonts(env, "linux")
    assert set(found) == set(fonts.ROLES)
    assert all(f == fonts.bundled_font() for f in found.values())


def test_the_bundled_font_is_a_truetype_collection_with_its_licence():
    font = fonts.bundled_font()
    assert font.path.is_file() and font.path.read_bytes()[:4] == b"ttcf"
    assert (font.path.parent / "wqy-microhei-LICENSE.txt").is_file()
    from reportlab.pdfbase.ttfonts import TTFont

    face = TTFont(
        "test-wqy", str(font.path), subfontIndex=font.index
    )  # TrueType outlines: reportlab embeds them
    assert face.face.charToGlyph.get(ord("绩")) and face.face.charToGlyph.get(ord("—"))

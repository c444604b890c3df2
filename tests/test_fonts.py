"""Finding the report's fonts: Windows' 仿宋 / 黑体 / 宋体 / 楷体 in fake Windows folders, the same families and their
free substitutes in the system's font list elsewhere, else the bundled font; every printed character exists in
the font it is drawn in."""

import re
import subprocess
from pathlib import Path

from core import export_pdf, fonts
from core.export import write
from core.report import Paragraph, build_report


def fake_windows(tmp_path: Path, *names: str) -> dict:
    folder = tmp_path / "Windows" / "Fonts"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(b"font")
    return {"WINDIR": str(tmp_path / "Windows")}


def paths(found: dict) -> dict:
    return {role: f.path.name for role, f in found.items()}


def test_windows_fonts_are_used_when_present(tmp_path):
    env = fake_windows(tmp_path, "simfang.ttf", "simhei.ttf", "simsun.ttc", "simkai.ttf")
    found = fonts.find_fonts(env, "win32")
    assert paths(found) == {
        "fangsong": "simfang.ttf",
        "heiti": "simhei.ttf",
        "songti": "simsun.ttc",
        "kaiti": "simkai.ttf",
        "title": "simhei.ttf",
    }  # no 小标宋: the title in 黑体
    assert [found[r].family for r in ("fangsong", "heiti", "kaiti")] == ["仿宋", "黑体", "楷体"]
    assert not any(f.bundled for f in found.values())


def test_the_title_takes_xiaobiaosong_when_installed(tmp_path):
    env = fake_windows(tmp_path, "simhei.ttf", "FZXBSK.TTF")
    assert fonts.find_fonts(env, "win32")["title"].path.name == "FZXBSK.TTF"
    (tmp_path / "Windows" / "Fonts" / "FZXBSJW.TTF").write_bytes(b"font")
    assert fonts.find_fonts(env, "win32")["title"].path.name == "FZXBSJW.TTF"  # 简体 before _GBK


def test_a_missing_windows_font_falls_back_to_a_substitute_then_the_bundled_one(tmp_path):
    # capitals, as some installers write
    env = fake_windows(tmp_path, "SIMHEI.TTF", "simsun.ttc", "STKAITI.TTF")
    found = fonts.find_fonts(env, "win32")
    assert found["heiti"].path.name == "SIMHEI.TTF" and not found["heiti"].bundled
    assert found["songti"].path.name == "simsun.ttc"
    assert (found["kaiti"].path.name, found["kaiti"].family) == ("STKAITI.TTF", "华文楷体")
    assert found["fangsong"] == fonts.bundled_font()
    assert found["title"] == found["heiti"]


def test_fonts_installed_for_one_user_count_on_windows(tmp_path):
    env = fake_windows(tmp_path)
    user = tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    user.mkdir(parents=True)
    (user / "simfang.ttf").write_bytes(b"font")
    found = fonts.find_fonts({**env, "LOCALAPPDATA": str(tmp_path / "Local")}, "win32")
    assert found["fangsong"].path == user / "simfang.ttf"


def test_systemroot_is_used_without_windir_and_a_missing_folder_is_no_error(tmp_path):
    env = fake_windows(tmp_path, "simfang.ttf")
    assert fonts.find_fonts({"SystemRoot": env["WINDIR"]}, "win32")["fangsong"].path.name == "simfang.ttf"
    found = fonts.find_fonts({"WINDIR": str(tmp_path / "nowhere")}, "win32")
    assert all(f.bundled for f in found.values())


def test_on_linux_the_system_list_gives_the_same_families_and_free_substitutes(tmp_path):
    system = [
        ("DejaVu Sans", Path("/f/DejaVuSans.ttf"), 0),
        ("AR PL UKai CN", Path("/f/ukai.ttc"), 1),  # 楷体's free substitute
        ("FangSong", Path("/f/simfang.ttf"), 0),  # 仿宋 copied from Windows
        ("Noto Sans CJK SC", Path("/f/NotoSansCJK.ttc"), 2),  # CFF outlines: not a candidate
        ("WenQuanYi Zen Hei", Path("/f/wqy-zenhei.ttc"), 0),
    ]
    found = fonts.find_fonts({}, "linux", system=system)
    assert found["kaiti"] == fonts.FontFile(Path("/f/ukai.ttc"), 1, False, "AR PL UKai CN")
    assert found["fangsong"].path == Path("/f/simfang.ttf")
    assert found["heiti"].family == "WenQuanYi Zen Hei"
    assert found["songti"] == fonts.bundled_font()  # no 宋体 and no substitute
    assert found["title"] == found["heiti"]
    assert fonts.find_fonts({}, "linux", system=[]) == {r: fonts.bundled_font() for r in fonts.ROLES}


def test_the_system_list_is_fontconfigs():
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True
    ).stdout.split()
    found = {str(path) for _, path, _ in fonts.system_fonts()}
    assert found == set(listed)


def test_the_bundled_font_is_a_truetype_collection_with_its_licence():
    font = fonts.bundled_font()
    assert font.path.is_file() and font.path.read_bytes()[:4] == b"ttcf"
    assert (font.path.parent / "wqy-microhei-LICENSE.txt").is_file()
    from reportlab.pdfbase.ttfonts import TTFont

    # TrueType outlines: reportlab embeds them
    face = TTFont("test-wqy", str(font.path), subfontIndex=font.index)
    assert face.face.charToGlyph.get(ord("绩")) and face.face.charToGlyph.get(ord("—"))


def test_a_broken_font_file_falls_back_to_the_bundled_font(tmp_path):
    broken = tmp_path / "simfang.ttf"
    broken.write_bytes(b"not a font")
    found = dict(fonts.find_fonts({}, "linux", system=[]), fangsong=fonts.FontFile(broken))
    names = export_pdf.register_fonts(found)
    assert names["fangsong"] == names["songti"]  # the bundled font
    found["title"] = fonts.FontFile(broken)
    assert export_pdf.register_fonts(found)["title"] == names["heiti"]


def test_the_export_says_which_fonts_it_used(tmp_path, example):
    written = write(example, tmp_path / "r.pdf")
    found = fonts.find_fonts()
    note = written.notes[0]
    assert note.startswith("PDF 字体：正文")
    if found["fangsong"].bundled:  # as on this test machine: said, with what is missing
        assert "文泉驿微米黑（程序自带）" in note and "本机未找到仿宋" in note
    else:
        assert f"（{found['fangsong'].path.name}）" in note


def test_a_character_missing_from_the_body_font_is_drawn_in_one_that_has_it(tmp_path, example):
    """A GBK-only 仿宋 lacks "−" (U+2212): the formula's minus is drawn in the bundled font, never as a blank box."""
    # has no Chinese at all
    gbk_only = fonts.FontFile(Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    found = dict(fonts.find_fonts({}, "linux", system=[]), fangsong=gbk_only)
    report = build_report(example)
    report.body.append(Paragraph("得分 = 6 − 0.54 = 5.46 分；ⅰ😀"))
    data, _ = export_pdf.render_pdf(report, found=found)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "得分 = 6 − 0.54 = 5.46 分" in re.sub(r"\s+", " ", text)
    assert "□" in text  # 😀 is in no font here: a visible box, not an invisible glyph
    fonts_used = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSerif" in fonts_used and "WenQuanYi" in fonts_used

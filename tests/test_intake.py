"""Reading an article someone brings: text, Markdown, HTML, other encodings, and files that
cannot be an article, each refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import paths
from tui.data.intake import IntakeError, read_article, similarity

ARTICLE = (
    "ASTANA – Kazakh Invest and the Bank of China signed an agreement worth $500 million on "
    "June 2, 2024, the press service reported. The sides discussed a logistics hub in Almaty.\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_utf8_text_is_kept_byte_for_byte_with_its_date_and_dateline(tmp_path):
    found = read_article(write(tmp_path, "a.txt", ARTICLE.encode()))
    assert found.text == ARTICLE and found.original is None
    assert (found.date, found.dateline, found.form) == ("2024-06-02", "ASTANA", "text")


def test_the_bundled_articles_state_their_own_metadata():
    second = read_article(paths.SEED_DIR / "articles" / "002_6460da51ad141412.txt")
    assert second.title.startswith("President Kassym-Jomart Tokayev took part")
    assert (second.date, second.dateline) == ("2023-05-18", "Xi’an city, China")
    first = read_article(paths.SEED_DIR / "articles" / "000_9c0d6d39aeed9ba5.txt")
    assert (first.title, first.date, first.dateline) == (None, "2023-05-20", "ASTANA")


@pytest.mark.parametrize("encoding", ["cp1251", "latin-1"])
def test_another_encoding_is_detected_decoded_and_the_original_kept(tmp_path, encoding):
    text = (
        "АСТАНА – Казахстан и Китай подписали соглашение о строительстве завода. "
        "Стороны обсудили сотрудничество в энергетике и транспорте. "
    ) * 3
    if encoding == "latin-1":
        text = (
            "ALMATY - Café owners in Almaty met investors from Zürich and Genève; the "
            "société signed a déclaration d'intention. "
        ) * 3
    data = text.encode(encoding)
    found = read_article(write(tmp_path, "a.txt", data))
    assert found.text == text
    assert found.original == data and found.encoding != "utf-8"


def test_html_gives_the_main_text_without_scripts_or_styles(tmp_path):
    page = (
        "<!doctype html><html><head><title>Agreement signed</title>"
        "<style>body { color: red }</style><script>alert('x')</script></head><body>"
        "<nav>Home | News</nav><article><h1>Agreement signed</h1>"
        f"<p>{ARTICLE}</p><p>The agreement covers a logistics hub and a rail terminal "
        "near the border, the ministry said in a statement on its website.</p></article>"
        "<footer>© Agency</footer></body></html>"
    )
    found = read_article(write(tmp_path, "a.html", page.encode()))
    assert "Kazakh Invest and the Bank of China signed" in found.text
    assert "alert" not in found.text and "color: red" not in found.text
    assert found.original == page.encode() and found.form == "html"
    assert found.title == "Agreement signed"


def test_markdown_loses_its_markup_and_keeps_its_heading_as_title(tmp_path):
    text = "# Hub in Almaty\n\n**ASTANA** – Kazakh Invest and [the Bank of China](https://x) met.\n"
    found = read_article(write(tmp_path, "a.md", text.encode()))
    assert found.title == "Hub in Almaty"
    assert "ASTANA – Kazakh Invest and the Bank of China met." in found.text
    assert "**" not in found.text and "](" not in found.text


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("bin.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50, "a binary file"),
        ("big.txt", b"word " * (5 * 1024 * 1024), "larger than 4 MiB"),
        ("noise.txt", bytes(range(1, 32)) * 100, "binary"),
    ],
)
def test_what_cannot_be_an_article_is_one_line_naming_the_file(tmp_path, name, data, problem):
    with pytest.raises(IntakeError) as caught:
        read_article(write(tmp_path, name, data))
    message = str(caught.value)
    assert problem in message and name in message and "\n" not in message


def test_a_folder_or_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(IntakeError, match="not a regular file"):
        read_article(tmp_path)
    with pytest.raises(IntakeError, match="file not found"):
        read_article(tmp_path / "nope.txt")


def test_near_duplicates_score_high_and_other_articles_low():
    bundled = sorted((paths.SEED_DIR / "articles").iterdir())
    first = bundled[0].read_text(encoding="utf-8")
    second = bundled[1].read_text(encoding="utf-8")
    edited = first.replace("May 18", "on May 18").replace("Zhu Hexin", "Zhu Hexin,")
    assert similarity(first, edited) > 0.8
    assert similarity(first, second) < 0.2

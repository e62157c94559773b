"""`roundtable add` and `roundtable review`: an article goes into the user's corpus with its
proposals, and the accepted ones become statements the explorer and the CLI show."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from reviewkit import CITIC as ARTICLE

from tui import paths
from tui.data import applying
from tui.data import review as review_mod
from tui.errors import SeedError, UserError

JIANGXI = Path(__file__).parent / "data" / "articles" / "articles" / "copper-and-grain-shymkent.txt"


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def corpus_files(corpus: Path) -> list[str]:
    skip = {paths.CORPUS_DB, f"{paths.CORPUS_DB}-journal"}
    return sorted(
        str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.is_file() and p.name not in skip
    )


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "citic.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_add_makes_the_users_own_corpus_and_says_where(cli, article) -> None:
    bundled = tree_digest(paths.SEED_DIR)
    result = cli("add", str(article))
    assert result.code == 0, result.err
    corpus = paths.user_corpus()
    assert str(corpus) in result.err and "copy of the bundled" in result.err
    assert (corpus / "entities.yaml").is_file()
    assert tree_digest(paths.SEED_DIR) == bundled  # the bundled corpus is never changed
    assert "Added article:" in result.out and "proposals" in result.out
    # A plain command afterwards reads the user's corpus: the article is there.
    listed = cli("list", "article", "--json").json()
    assert [row["name"] for row in listed if row["ref"] == "article:citic"] == [
        "ASTANA, 2024-06-03"  # no headline: named by its dateline and date
    ]
    assert len(listed) == 3


def test_add_json_gives_each_proposal_with_its_verbatim_quote(cli, article) -> None:
    data = cli("add", str(article), "--json").json()
    assert data["article"].startswith("article:")
    stored = (paths.user_corpus() / data["file"]).read_text(encoding="utf-8")
    assert stored == ARTICLE
    keys = {"id", "kind", "name", "action", "match", "score", "why", "quote", "start", "end"}
    for p in data["proposals"]:
        assert keys <= set(p)
        assert stored[p["start"] : p["end"]] == p["quote"]
        assert p["action"] in ("new", "match") and (p["match"] is None) == (p["action"] == "new")


def test_names_the_corpus_knows_are_matched_and_say_why(cli, article) -> None:
    proposals = cli("add", str(article), "--json").json()["proposals"]
    by_name = {p["name"]: p for p in proposals if p["kind"] != "position"}
    citic = by_name["CITIC Group Corporation"]
    assert (citic["action"], citic["match"]) == ("match", "organization:citic-group")
    assert citic["why"] == "legal-form suffix"
    tokayev = next(p for p in proposals if p["kind"] == "person" and "Tok" in p["name"])
    assert tokayev["match"] == "person:kassym-jomart-tokayev", tokayev
    assert by_name["KAZ Minerals"]["match"] == "organization:kaz-minerals"
    assert by_name["Jiangxi Copper Company"]["action"] == "new"
    assert "Head of State" not in by_name and "Akorda" not in {p["name"] for p in proposals}


def test_the_same_text_twice_is_refused_and_nothing_is_written(cli, article, tmp_path) -> None:
    assert cli("add", str(article)).code == 0
    before = corpus_files(paths.user_corpus())
    again = tmp_path / "again.txt"
    again.write_text(ARTICLE.replace("\n\n", "\n \n"), encoding="utf-8")  # spacing aside
    result = cli("add", str(again))
    assert result.code == 2
    assert "already in the corpus" in result.err and result.err.count("\n") == 1
    assert corpus_files(paths.user_corpus()) == before


def test_a_near_duplicate_is_added_and_reported(cli, article, tmp_path) -> None:
    assert cli("add", str(article)).code == 0
    edited = tmp_path / "edited.txt"
    edited.write_text(ARTICLE.replace("$1.2 billion", "$1.25 billion"), encoding="utf-8")
    result = cli("add", str(edited))
    assert result.code == 0, result.err
    assert "near-duplicate" in result.err and "article:" in result.err


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "empty"),
        ("binary.bin", b"\x00\x01\x02PK\x03\x04" * 100, "binary"),
        ("huge.txt", b"Astana. " * (20 * 1024 * 1024 // 8), "larger than"),
        ("undated.txt", b"Kazakh Invest met the Bank of China in Astana.\n", "--date"),
    ],
)
def test_what_cannot_be_added_is_one_line_exit_2_and_no_corpus_is_made(
    cli, tmp_path, name, data, problem
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("add", str(path))
    assert result.code == 2
    assert problem in result.err and result.err.count("\n") == 1 and not result.out
    assert not paths.user_corpus().exists()  # nothing half-made


def test_an_article_in_another_encoding_is_read_and_its_original_kept(cli, tmp_path) -> None:
    text = (
        "АСТАНА – Казахстан и Китай подписали соглашение о строительстве завода. "
        "Стороны обсудили сотрудничество в энергетике и транспорте. "
    ) * 3
    path = tmp_path / "cp1251.txt"
    path.write_bytes(text.encode("cp1251"))
    result = cli("add", str(path), "--date", "2024-06-03", "--json")
    data = result.json()
    corpus = paths.user_corpus()
    assert (corpus / data["file"]).read_text(encoding="utf-8") == text
    assert (corpus / data["original"]).read_bytes() == text.encode("cp1251")
    assert "cp1251" in result.err  # it says which encoding it read


def test_html_is_added_without_scripts_and_its_original_is_kept(cli, tmp_path) -> None:
    page = (
        "<!doctype html><html><head><title>CITIC in Astana</title><script>alert(1)</script>"
        f"<style>p {{ color: red }}</style></head><body><article><p>{ARTICLE}</p>"
        "</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    data = cli("add", str(path), "--json").json()
    text = (paths.user_corpus() / data["file"]).read_text(encoding="utf-8")
    assert "CITIC Group Corporation plans to invest" in text
    assert "alert" not in text and "color" not in text
    assert data["title"] == "CITIC in Astana"
    assert (paths.user_corpus() / data["original"]).read_text(encoding="utf-8") == page


def test_date_and_title_come_from_the_options_where_the_text_gives_none(cli) -> None:
    data = cli("add", str(JIANGXI), "--date", "2023-10-13", "--title", "Copper talks", "--json")
    data = data.json()
    assert (data["date"], data["title"], data["dateline"]) == ("2023-10-13", "Copper talks",
                                                                 "SHYMKENT")  # fmt: skip
    shown = cli("show", data["article"], "--json").json()
    assert shown["name"] == "Copper talks"


def test_review_lists_what_waits_and_accepting_makes_statements(cli, article) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    waiting = cli("review", "--json").json()
    assert [(w["article"], w["pending"] > 0) for w in waiting] == [(ref, True)]
    proposals = cli("review", ref, "--json").json()["proposals"]
    jiangxi = next(p for p in proposals if p["name"] == "Jiangxi Copper Company")
    result = cli("review", ref, "--accept", jiangxi["id"], "--json").json()
    assert result["applied"] == [jiangxi["id"]] and result["statements"] >= 1
    assert result["entities"] == [jiangxi["ref"]]
    facts = (paths.user_corpus() / "facts" / f"{ref.partition(':')[2]}.yaml").read_text("utf-8")
    assert jiangxi["ref"] in facts and "Jiangxi Copper Company" in facts
    shown = cli("show", jiangxi["ref"], "--json").json()
    assert shown["name"] == "Jiangxi Copper Company"
    assert {s["article"] for s in shown["statements"]} == {ref}
    # The rest stays pending; `review` still lists the article.
    assert cli("review", "--json").json()[0]["applied"] == 1


def test_accepting_a_commitment_brings_its_parties_and_the_total_shows_it(cli, article) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    proposals = cli("review", ref, "--json").json()["proposals"]
    smelter = next(p for p in proposals if p["kind"] == "commitment" and p["fields"].get("amount"))
    result = cli("review", ref, "--accept", smelter["id"], "--json").json()
    assert smelter["id"] in result["applied"], result["skipped"]
    shown = cli("show", smelter["ref"], "--json").json()
    assert shown["fields"]["amount"] == 1_200_000_000
    parties = {link["ref"] for link in shown["links"] if link["relation"] == "party"}
    assert "organization:citic-group" in parties
    # The meeting it was announced at came with it, and so did that meeting's participants.
    announced = next(link for link in shown["links"] if link["relation"] == "announced at")
    meeting = cli("show", announced["ref"], "--json").json()
    people = {link["ref"] for link in meeting["links"] if link["kind"] == "person"}
    assert "person:kassym-jomart-tokayev" in people


def test_accept_all_then_reject_keeps_what_was_applied(cli, article) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    done = cli("review", ref, "--accept", "all", "--json").json()
    assert done["applied"] and not cli("review", "--json").json()
    assert all(p["status"] in ("applied", "accepted") for p in done["proposals"])
    # What no proposal could be written for is said, one line per proposal.
    for proposal_id, why in done["skipped"].items():
        assert proposal_id.startswith("p") and why
    again = cli("review", ref, "--reject", "all", "--json").json()
    assert {p["status"] for p in again["proposals"]} <= {"applied", "rejected"}
    assert again["statements"] == 0


def test_rejected_proposals_write_nothing(cli, article) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    facts = paths.user_corpus() / "facts" / f"{ref.partition(':')[2]}.yaml"
    before = facts.read_text(encoding="utf-8")
    result = cli("review", ref, "--reject", "all", "--json").json()
    assert result["applied"] == [] and facts.read_text(encoding="utf-8") == before
    assert cli("review", "--json").json() == []


def test_an_unknown_proposal_or_article_is_one_line_exit_2(cli, article) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    bad = cli("review", ref, "--accept", "p999")
    assert bad.code == 2 and "no proposal 'p999'" in bad.err and bad.err.count("\n") == 1
    missing = cli("review", "article:nothing-here")
    assert missing.code == 2 and "no proposals to review" in missing.err


def test_review_on_the_bundled_corpus_says_there_is_nothing(cli) -> None:
    result = cli("review")
    assert result.code == 2 and "add an article first" in result.err


def test_a_failed_database_update_leaves_the_corpus_files_as_they_were(
    cli, article, monkeypatch
) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    corpus = paths.user_corpus()
    before = {name: (corpus / name).read_bytes() for name in corpus_files(corpus)}

    def fail(*args, **kwargs):
        raise UserError("the database is locked (simulated)")

    monkeypatch.setattr(applying, "sync", fail)
    result = cli("review", ref, "--accept", "all")
    assert result.code == 2 and "simulated" in result.err
    after = {name: (corpus / name).read_bytes() for name in corpus_files(corpus)}
    pending = json.loads(after.pop(f"proposals/{ref.partition(':')[2]}.json"))
    before.pop(f"proposals/{ref.partition(':')[2]}.json")
    assert after == before  # entities.yaml and the facts file untouched
    assert {p["status"] for p in pending["proposals"]} == {"accepted"}  # the decisions kept


def test_add_with_a_named_corpus_never_makes_the_users_own(cli, article, tmp_path) -> None:
    corpus = tmp_path / "mine"
    assert cli("init", str(corpus), "--empty").code == 0
    data = cli("--corpus", str(corpus), "add", str(article), "--json").json()
    assert data["corpus"] == str(corpus) and not paths.user_corpus().exists()
    # From an empty corpus nothing matches: every entity is new.
    assert {p["action"] for p in data["proposals"] if p["kind"] != "position"} == {"new"}
    ref = data["article"]
    done = cli("--corpus", str(corpus), "review", ref, "--accept", "all", "--json").json()
    assert done["entities"] and done["statements"] > 5
    assert cli("--corpus", str(corpus), "build", "--json").code == 0  # it validates


def test_a_proposals_file_never_reads_an_article_text_outside_the_corpus(
    cli, article, tmp_path
) -> None:
    ref = cli("add", str(article), "--json").json()["article"]
    corpus = paths.user_corpus()
    facts = corpus / "facts" / f"{ref.partition(':')[2]}.yaml"
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(ARTICLE, encoding="utf-8")  # the same text: only the place is wrong
    text = facts.read_text(encoding="utf-8").splitlines()
    edited = [f'  file: "{outside}"' if line.startswith("  file:") else line for line in text]
    facts.write_text("\n".join(edited) + "\n", encoding="utf-8")
    with pytest.raises(SeedError, match="outside"):
        review_mod.open_review(corpus, ref)

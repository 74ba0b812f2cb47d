"""The built book (``make book`` runs before the tests): citable targets, derivation labels, execution table.

These read ``_build/html`` as it was built; they fail, not skip, when it is missing.
"""

import posixpath
import re

import pytest
from sphinx.util.inventory import InventoryFile

from supermodel import bookcache, derivations, paths

HTML = paths.build_dir() / "html"


@pytest.fixture(scope="module")
def built():
    if not (HTML / "objects.inv").is_file():
        pytest.fail(f"no built book at {HTML}: run `make book` first (`make test` does)")
    return HTML


def _theorems():
    """(target, chapter) of every prf:theorem in the book, with the ``(target)=`` line right above it."""
    found = []
    for page in sorted(paths.book_dir().glob("*.md")):
        lines = page.read_text().splitlines()
        for i, line in enumerate(lines):
            if line.startswith(":::{prf:theorem}") or line.startswith("```{prf:theorem}"):
                target = re.fullmatch(r"\((thm-[a-z0-9-]+)\)=", lines[i - 1].strip()) if i else None
                assert target, f"{page.name}:{i + 1}: a theorem needs a `(thm-...)=` target on the line above"
                found.append((target.group(1), page.stem))
    return found


def test_objects_inv_has_a_target_for_every_theorem(built):
    with open(built / "objects.inv", "rb") as f:
        labels = InventoryFile.load(f, "", posixpath.join)["std:label"]
    theorems = _theorems()
    assert len(theorems) >= 7
    for target, chapter in theorems:
        assert target in labels, f"{target} is not in objects.inv"
        assert labels[target][2] == f"book/{chapter}.html#{target}"


def test_every_derivation_label_is_an_equation_of_its_chapter(built):
    for row in derivations.latex_catalogue():
        html = (built / "book" / f"{row['chapter']}.html").read_text()
        assert f'id="equation-{row["label"]}"' in html, f"{row['label']} is not an equation of {row['chapter']}"
        if row["verifies"]:
            assert any(f'id="equation-{row["verifies"]}"' in p.read_text() for p in (built / "book").glob("*.html"))


def test_derivations_page_links_every_result(built):
    html = (built / "book" / "derivations.html").read_text()
    for row in derivations.latex_catalogue():
        assert f'{row["chapter"]}.html#equation-{row["label"]}"' in html


def test_execution_table_lists_every_page(built):
    html = (built / "book" / "reproducibility.html").read_text()
    table = html[html.index("<table"):html.index("</table>")]
    for page in bookcache.executable_pages():
        assert f"book/{page.stem}" in table, f"{page.stem} missing from the execution table"
    assert "❌" not in table  # myst-nb marks a failed execution so

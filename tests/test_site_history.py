"""Document history helpers: the side-by-side diff and the highlighted evidence."""

from __future__ import annotations

import re

from termwatch.site.history import (
    ADDED,
    CHANGED,
    EQUAL,
    REMOVED,
    Evidence,
    Fold,
    render_version,
    side_by_side,
    word_diff,
)


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


def test_unchanged_paragraphs_fold_away_around_the_changes():
    same = [f"Clause {n} stays." for n in range(6)]
    old = paragraphs(*same, "We may train on your code.", *same)
    new = paragraphs(*same, "We never train on your code.", *same, "A new last clause.")
    rows = side_by_side(old, new, context=1)
    kinds = [row.rows[0].kind if isinstance(row, Fold) else row.kind for row in rows]
    assert kinds == ["equal", EQUAL, CHANGED, EQUAL, "equal", EQUAL, ADDED]
    folds = [row for row in rows if isinstance(row, Fold)]
    assert [len(fold.rows) for fold in folds] == [5, 4]


def test_a_removed_paragraph_stands_alone_on_the_old_side():
    rows = side_by_side(paragraphs("Keep.", "Drop me."), "Keep.", context=5)
    assert [row.kind for row in rows] == [EQUAL, REMOVED]
    assert rows[1].old == "<del>Drop me.</del>" and rows[1].new == ""


def test_changed_words_are_marked_as_one_run_and_escaped():
    old, new = word_diff(
        "limited to one hundred dollars <USD>.", "limited to the fees you paid <USD>."
    )
    assert old == "limited to <del>one hundred dollars</del> &lt;USD&gt;."
    assert new == "limited to <ins>the fees you paid</ins> &lt;USD&gt;."


def test_evidence_spanning_bold_and_a_link_is_highlighted_piece_by_piece():
    text = (
        "# Terms\n\n**9. Liability.** We are liable up to [the fees](https://x.test/fees) only.\n"
    )
    start = text.index("**9.")
    end = text.index(" only.")
    html = render_version(text, Evidence(start, end, text[start:end]))
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", html)
    assert "".join(marks) == "9. Liability. We are liable up to the fees"
    assert html.count('id="evidence"') == 1
    assert re.search(r'<a href="https://x.test/fees"[^>]*><mark>the fees</mark></a>', html)
    assert "\ue000" not in html and "\ue001" not in html


def test_a_quote_not_found_in_the_text_leaves_the_text_as_it_is():
    html = render_version("Some terms.", Evidence(-1, -1, "elsewhere"))
    assert "<mark" not in html and "Some terms." in html

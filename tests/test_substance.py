"""The substance of a text: what stays when the Markdown is taken away."""

from __future__ import annotations

import pytest

from termwatch.analysis.substance import substance, substance_hash

TERMS = """# Terms

## 1. Fees

You **must** pay the [fees](https://example.test/fees) within 30 days.

- We may change the fees with “notice”.
- Taxes are yours.
"""


@pytest.mark.parametrize(
    "rewritten",
    [
        # front matter, other heading syntax, emphasis, link target, list marker, quotes,
        # line breaks, comments
        "---\ntitle: Terms\nredirect_from:\n  - /tos/\n---\n\n"
        "<!-- markdownlint-disable -->\nTerms\n=====\n\n### 1. Fees\n\n"
        "You must pay the [fees](/fees?x=1)\nwithin 30 days.\n\n"
        '* We may change the fees with "notice".\n* Taxes are *yours*.\n',
        "# Terms\n## 1. Fees\nYou __must__ pay the fees within   30 days.\n\n"
        "1. We may change the fees with \u2018\u2018notice\u2019\u2019.\n".replace(
            "\u2018\u2018notice\u2019\u2019", "\u201cnotice\u201d"
        )
        + "2. Taxes are yours.\n",
    ],
)
def test_the_same_words_in_other_markup_have_the_same_substance(rewritten):
    assert substance(rewritten) == substance(TERMS)
    assert substance_hash(rewritten) == substance_hash(TERMS)


@pytest.mark.parametrize(
    "edited",
    [
        TERMS.replace("30 days", "60 days"),
        TERMS.replace("may change", "may not change"),
        TERMS.replace("Taxes are yours.", "Taxes are yours. Refunds are never given."),
        TERMS.replace("Taxes are yours.", "Taxes are yours!"),
    ],
)
def test_any_change_of_words_or_punctuation_changes_the_substance(edited):
    assert substance(edited) != substance(TERMS)


def test_the_substance_reads_as_plain_words():
    assert substance(TERMS) == (
        'Terms 1. Fees You must pay the fees within 30 days. We may change the fees with "notice". '
        "Taxes are yours."
    )

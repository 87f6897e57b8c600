"""Segmentation: Markdown terms become sentences with their section path and exact offsets."""

from __future__ import annotations

import textwrap

import pytest

from termwatch.analysis.segment import is_title, plain_text, segment, split_sentences


def clauses(markdown: str) -> list[tuple[str, str]]:
    markdown = textwrap.dedent(markdown)
    segments = segment(markdown)
    for piece in segments:
        assert markdown[piece.start : piece.end] == piece.text
    return [(piece.section_path, piece.text) for piece in segments]


def test_every_segment_is_the_exact_slice_of_the_input():
    markdown = "# Terms\n\nWe may change these terms.  You agree.\n\n* **Bold** item one\n"
    for piece in segment(markdown):
        assert markdown[piece.start : piece.end] == piece.text


def test_atx_and_setext_headings_give_the_section_path():
    assert clauses(
        """\
        GitHub Terms of Service
        =======================

        [D. User-Generated Content](#d-user-generated-content)
        ------------------------------------------------------

        ### 4. License Grant to Us

        We need the legal right to do things like host Your Content.
        """
    ) == [
        (
            "GitHub Terms of Service > D. User-Generated Content > 4. License Grant to Us",
            "We need the legal right to do things like host Your Content.",
        )
    ]


def test_a_deeper_heading_closes_at_the_next_heading_of_its_level():
    result = clauses(
        """\
        # Terms
        ## Payment
        ### Taxes
        You pay the taxes.
        ## Termination
        We may end this.
        """
    )
    assert result == [
        ("Terms > Payment > Taxes", "You pay the taxes."),
        ("Terms > Termination", "We may end this."),
    ]


def test_bold_lines_and_bold_numbered_titles_are_sections():
    result = clauses(
        """\
        **1\\. Access and Use**

        **1.1. Provision of Access.** Anysphere grants you a limited right to use the Service.

        **1.2. Content.** You may provide inputs. We may use Content to provide the Service.

        **2\\. Eligibility**

        You must be at least 18 years old.
        """
    )
    assert result == [
        (
            "1. Access and Use > 1.1. Provision of Access",
            "Anysphere grants you a limited right to use the Service.",
        ),
        ("1. Access and Use > 1.2. Content", "You may provide inputs."),
        ("1. Access and Use > 1.2. Content", "We may use Content to provide the Service."),
        ("2. Eligibility", "You must be at least 18 years old."),
    ]


def test_a_whole_bold_numbered_paragraph_is_a_clause_not_a_heading():
    # Google's terms set whole clauses in bold, their number and title inside the bold.
    sentence = (
        "Each party's total aggregate Liability is limited to the Fees Customer paid during "
        "the 12 month period before the event."
    )
    result = clauses(
        f"**12\\. Limitation of Liability.**\n\n**12.2 _Limitation on Amount._ {sentence}**\n"
    )
    assert [plain_text(text) for _, text in result][-1] == sentence
    assert all(path.startswith("12. Limitation of Liability") for path, _ in result)


def test_a_whole_clause_in_bold_in_chinese_is_a_clause_each_numbered_line_its_own():
    # Chinese terms set what matters in bold and write no spaces: a paragraph of 40
    # characters is one "word" by spaces, yet no heading; a short bold line still is one.
    exclusion = "**11.7 在任何情况下，公司均不对任何间接、后果性的损害承担责任，包括利润损失。**"
    cap = "**11.8 公司对你承担的全部责任，无论因何原因，始终不超过你支付给公司的费用。**"
    result = clauses(f"**11、免责声明**\n\n{exclusion}\n{cap}\n")
    assert result == [("11、免责声明", exclusion), ("11、免责声明", cap)]


def test_a_short_bold_chinese_line_is_still_a_heading():
    result = clauses("**第一条 服务内容**\n\n本服务由公司提供。\n")
    assert result == [("第一条 服务内容", "本服务由公司提供。")]


def test_lettered_and_numbered_sections_nest_in_the_order_they_appear():
    result = clauses(
        """\
        I.2. **Termination.**

        I.2.a. Each party may terminate these Terms for convenience.

        I.2.b. Either party may terminate for material breach.

        I.3. **Suspension.** Anthropic may suspend access.
        """
    )
    assert [path for path, _ in result] == [
        "I.2. Termination > I.2.a",
        "I.2. Termination > I.2.b",
        "I.3. Suspension",
    ]


def test_list_items_without_final_punctuation_are_clauses_of_their_own():
    result = clauses(
        """\
        ## Access

        We may access private repositories:

        *   for security purposes;
        *   to maintain the integrity of the Service
        *   to comply with our legal obligations
        """
    )
    assert [text for _, text in result] == [
        "We may access private repositories:",
        "for security purposes;",
        "to maintain the integrity of the Service",
        "to comply with our legal obligations",
    ]
    assert {path for path, _ in result} == {"Access"}


def test_an_unnumbered_paragraph_after_a_list_leaves_the_list_item():
    result = clauses(
        """\
        # Definitions

        1.  An "Account" represents your relationship with us.

        2.  The "Service" is our product.

        These definitions apply throughout.
        """
    )
    assert result[-1] == ("Definitions", "These definitions apply throughout.")
    assert result[0][0] == "Definitions > 1"


def test_abbreviations_do_not_end_sentences():
    sentences = [
        text
        for _, text in clauses(
            "Our consumer offerings (e.g. Claude.ai) are governed by U.S. law. "
            "GitHub, Inc. is a subsidiary. See No. 5 of the list. The end."
        )
    ]
    assert sentences == [
        "Our consumer offerings (e.g. Claude.ai) are governed by U.S. law.",
        "GitHub, Inc. is a subsidiary.",
        "See No. 5 of the list.",
        "The end.",
    ]


def test_section_letters_and_numbers_inside_sentences_end_them_normally():
    sentences = [
        text for _, text in clauses("It is subject to Section O. Without limiting it, we try.")
    ]
    assert sentences == ["It is subject to Section O.", "Without limiting it, we try."]


def test_markup_only_lines_are_skipped():
    result = clauses(
        """\
        # Terms

        ![logo](https://example.com/logo.png)

        * * *

        | Section | Summary |
        | --- | --- |
        | Payment | You pay. We bill. |

        ##
        """
    )
    assert [text for _, text in result] == ["Section", "Summary", "Payment", "You pay.", "We bill."]


def test_yaml_front_matter_is_metadata_not_a_clause():
    result = clauses(
        """\
        ---
        title: GitHub Terms of Service
        redirect_from:
          - /tos
        ---

        Thank you for using GitHub.
        """
    )
    assert result == [("", "Thank you for using GitHub.")]


def test_a_document_opening_with_a_horizontal_rule_keeps_its_first_clauses():
    result = clauses("---\n\nYou agree to these terms.\n\n---\n\nWe may end them.\n")
    assert [text for _, text in result] == ["You agree to these terms.", "We may end them."]


def test_split_sentences_returns_trimmed_offsets():
    text = "  One sentence here.   Another one!  "
    assert [text[start:end] for start, end in split_sentences(text)] == [
        "One sentence here.",
        "Another one!",
    ]


def test_plain_text_drops_inline_markup_but_keeps_words():
    assert plain_text("“**Terms**” see [our policy](https://x.y/z) and 1\\. _this_") == (
        "“Terms” see our policy and 1. this"
    )


@pytest.mark.parametrize(
    "text, title",
    [
        ("O. Disclaimer of Warranties", True),
        ("GOVERNING LAW AND JURISDICTION", True),
        ("Dispute Resolution by Binding Arbitration", True),
        ("We Both Agree To Arbitrate.", True),
        ("THE SERVICE IS PROVIDED AS IS.", False),  # a shouted clause, not a title
        ("We disclaim all warranties.", False),
        ("These Terms are governed by the laws of Ireland", False),
    ],
)
def test_a_title_is_told_from_a_clause(text, title):
    assert is_title(text) is title

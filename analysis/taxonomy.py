"""The clause taxonomy: the single source of truth for what termwatch looks for.

Each category has a code (stored in the ``labels`` table), a name and a one-line
definition that the site shows to users. The first eight are the UNFAIR-ToS / CLAUDETTE
categories with exactly their meaning (Lippi et al. 2019), so that termwatch can be scored
on that benchmark; the others are what a team adopting an AI coding assistant must know.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    definition: str
    origin: str  # "unfair-tos" (benchmark category) or "termwatch" (this domain)


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in [
        # --- UNFAIR-ToS / CLAUDETTE (codes and meaning as in the benchmark) ---
        Category(
            "ltd",
            "Limitation of liability",
            "The provider excludes or limits its liability for damages or losses.",
            "unfair-tos",
        ),
        Category(
            "ter",
            "Unilateral termination",
            "The provider may suspend or terminate the service or the account at its discretion.",
            "unfair-tos",
        ),
        Category(
            "ch",
            "Unilateral change",
            "The provider may change the terms or the service, with or without notice.",
            "unfair-tos",
        ),
        Category(
            "cr",
            "Content removal",
            "The provider may remove or disable users' content at its discretion.",
            "unfair-tos",
        ),
        Category(
            "use",
            "Contract by using",
            "Using the service binds the user to the terms, without any explicit assent.",
            "unfair-tos",
        ),
        Category(
            "law",
            "Choice of law",
            "Which country's or state's law governs the contract or disputes.",
            "unfair-tos",
        ),
        Category(
            "j",
            "Jurisdiction",
            "Which courts are competent to hear disputes (venue).",
            "unfair-tos",
        ),
        Category(
            "a",
            "Arbitration",
            "Disputes go to arbitration rather than to court (often with a class-action waiver).",
            "unfair-tos",
        ),
        # --- AI coding assistants ---
        Category(
            "output_ownership",
            "Output ownership",
            "Who owns the suggestions, completions or code the assistant generates.",
            "termwatch",
        ),
        Category(
            "input_license",
            "Licence to your input",
            "Rights the provider takes over your prompts, code and other content you submit.",
            "termwatch",
        ),
        Category(
            "training",
            "Training on your content",
            "Whether your prompts, code or outputs train the provider's models (opt-in/opt-out).",
            "termwatch",
        ),
        Category(
            "warranty",
            "Warranty disclaimer",
            "The service or its output comes 'as is', without warranty of accuracy or fitness.",
            "termwatch",
        ),
        Category(
            "user_indemnity",
            "You indemnify the provider",
            "You must defend and indemnify the provider against claims arising from your use.",
            "termwatch",
        ),
        Category(
            "provider_indemnity",
            "Provider indemnifies you",
            "The provider defends you against claims, e.g. IP infringement claims over output.",
            "termwatch",
        ),
        Category(
            "output_responsibility",
            "Responsibility for output",
            "You must review the output and are responsible for what you use or ship.",
            "termwatch",
        ),
        Category(
            "ai_disclosure",
            "AI disclosure",
            "Whether you must disclose AI-generated content or not present it as human-made.",
            "termwatch",
        ),
    ]
}

UNFAIR_TOS_CODES: tuple[str, ...] = tuple(
    code for code, category in CATEGORIES.items() if category.origin == "unfair-tos"
)
CODES: tuple[str, ...] = tuple(CATEGORIES)

"""The sources registry: which documents termwatch tracks, where they live, how to read them.

The registry is data (``data/sources.yml``), kept apart from the engine the way Open Terms
Archive keeps its declarations apart from its archivist. This module loads it and checks
every entry, so that a typo fails at once with a message naming the entry and the field,
instead of as a traceback in the middle of a crawl.

A service declares one or more documents; a document is read from one or more pages
(``sources``), each with the CSS selectors of the terms body and of the parts to remove.
A selector is a CSS selector string, or a *range* as in Open Terms Archive declarations:
``{startBefore|startAfter: CSS, endBefore|endAfter: CSS}``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

# An installation's own registry, relative to where termwatch runs; where there is none (a
# wheel run from any folder), the registry the project ships, inside the package.
DEFAULT_REGISTRY = Path("data/sources.yml")
SHIPPED_REGISTRY = Path(__file__).resolve().parent.parent / "data" / "sources.yml"

# Standard kinds of document, with a label a person reads.
DOCUMENT_KINDS: dict[str, str] = {
    "terms-of-service": "Terms of service",
    "product-specific-terms": "Product-specific terms",
    "commercial-terms": "Commercial terms",
    "developer-terms": "Developer / API terms",
    "acceptable-use-policy": "Acceptable use policy",
    "privacy-policy": "Privacy policy",
    "data-use-policy": "Data / training policy",
    "data-processor-agreement": "Data processing agreement",
    "service-level-agreement": "Service level agreement",
    "legal-notice": "Legal notice",
}

# Every document type slug termwatch knows, and the kind it belongs to. The slugs are the
# folder names of Open Terms Archive datasets and of ../shared/corpus, so that an imported
# history and a crawl of the same document meet on the same row.
DOCUMENT_TYPES: dict[str, str] = {
    **{kind: kind for kind in DOCUMENT_KINDS},
    "acceptable-use-synthetic-media-and-ai-tools": "acceptable-use-policy",
    "additional-products-and-features-terms": "product-specific-terms",
    "business-privacy-statement": "privacy-policy",
    "claude-code-legal-notice": "legal-notice",
    "cody-usage-and-privacy-notice": "data-use-policy",
    "copilot-chat-pre-release-terms": "product-specific-terms",
    "corporate-terms-of-service": "commercial-terms",
    "extension-developer-policy": "developer-terms",
    "in-app-purchases-policy": "terms-of-service",
    "platform-to-business-notice": "commercial-terms",
    "pre-release-license-terms": "product-specific-terms",
    "third-party-acceptable-use-policies": "acceptable-use-policy",
    "master-services-agreement": "commercial-terms",
    "trial-agreement": "commercial-terms",
    "enterprise-terms": "commercial-terms",
    "ai-service-terms": "product-specific-terms",
    "plugin-license": "product-specific-terms",
    "enterprise-addendum": "commercial-terms",
}

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TYPE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*(--[a-z0-9]+(-[a-z0-9]+)*)?$"


def base_type(document_type: str) -> str:
    """``terms-of-service--genai-eu`` -> ``terms-of-service``: a type without its tracker suffix.

    Archives keep a second history of the same document, read by another tracker with other
    selectors, under a suffixed folder; the suffix names that tracker (the *variant*).
    """
    return document_type.split("--", 1)[0]


def document_kind(document_type: str) -> str:
    """The standard kind (a key of DOCUMENT_KINDS) of a document type slug."""
    return DOCUMENT_TYPES.get(base_type(document_type), "terms-of-service")


class RegistryError(Exception):
    """The registry cannot be used: the message names the file, the entry and the field."""


def _known_document_type(value: str) -> str:
    if base_type(value) not in DOCUMENT_TYPES:
        raise ValueError(
            f"unknown document type {value!r}; add it to DOCUMENT_TYPES in crawler/registry.py "
            f"or use one of: {', '.join(sorted(DOCUMENT_KINDS))}"
        )
    return value


class RangeSelector(BaseModel):
    """A range of the page: from one element to another (Open Terms Archive style)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start_before: str | None = Field(None, alias="startBefore")
    start_after: str | None = Field(None, alias="startAfter")
    end_before: str | None = Field(None, alias="endBefore")
    end_after: str | None = Field(None, alias="endAfter")

    @model_validator(mode="after")
    def _one_start_one_end(self) -> RangeSelector:
        if (self.start_before is None) == (self.start_after is None):
            raise ValueError("a range selector needs exactly one of startBefore / startAfter")
        if (self.end_before is None) == (self.end_after is None):
            raise ValueError("a range selector needs exactly one of endBefore / endAfter")
        return self


def _selector_kind(value: object) -> str | None:
    if isinstance(value, str):
        return "css"
    if isinstance(value, dict | RangeSelector):
        return "range"
    return None


# A selector is told apart by its type, so that an error in a range is reported as that
# error alone, not once per kind of selector it failed to be.
SELECTOR_KINDS = ("css", "range")
Selector = Annotated[
    Annotated[str, Tag("css")] | Annotated[RangeSelector, Tag("range")],
    Discriminator(
        _selector_kind,
        custom_error_type="selector_type",
        custom_error_message=(
            "a selector is a CSS string or a range {startBefore|startAfter: CSS, "
            "endBefore|endAfter: CSS}"
        ),
    ),
]


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str | dict) else value


class Source(BaseModel):
    """One page of a document."""

    model_config = ConfigDict(extra="forbid")

    url: HttpUrl
    # The parts of an HTML page that hold the terms; a PDF is read whole (``crawler.pdf``),
    # so a source whose URL ends in ``.pdf`` may leave it out.
    select: list[Selector] = Field(default_factory=list)
    remove: list[Selector] = Field(default_factory=list)
    # Open Terms Archive's flag for pages whose terms a script writes: true, the page is
    # rendered in a browser (``crawler.browser``); unset, it is fetched over plain HTTP and
    # rendered once more when its selectors match nothing; false, never rendered.
    execute_client_scripts: bool | None = Field(None, alias="executeClientScripts")

    _list_fields = field_validator("select", "remove", mode="before")(_as_list)

    @field_validator("select")
    @classmethod
    def _select_unless_pdf(cls, select: list[Selector], info: ValidationInfo) -> list[Selector]:
        url = info.data.get("url")
        if not select and url and not (url.path or "").lower().endswith(".pdf"):
            raise ValueError(
                "needs at least one selector (only a .pdf URL, read whole, may omit it)"
            )
        return select

    @field_validator("select", "remove")
    @classmethod
    def _no_empty_selector(cls, selectors: list[Selector]) -> list[Selector]:
        if any(isinstance(s, str) and not s.strip() for s in selectors):
            raise ValueError("a selector is an empty string")
        return selectors


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Annotated[str, Field(pattern=TYPE_PATTERN), AfterValidator(_known_document_type)]
    title: str = Field(min_length=1)
    audience: Literal["consumer", "business", "developer", "everyone"] = "everyone"
    region: str = "global"
    sources: list[Source] = Field(min_length=1)

    @property
    def kind(self) -> str:
        return document_kind(self.type)


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    category: Literal["coding-assistant", "llm-vendor", "ai-developer-platform"]
    url: HttpUrl
    # The service's id in Open Terms Archive (its declaration's name, e.g. "Claude.ai"), when
    # the slug is not that id slugified; a git import maps that folder to this service.
    ota_service_id: str | None = None
    documents: list[Document] = Field(min_length=1)

    @field_validator("documents")
    @classmethod
    def _unique_types(cls, documents: list[Document]) -> list[Document]:
        seen = [d.type for d in documents]
        duplicates = sorted({t for t in seen if seen.count(t) > 1})
        if duplicates:
            raise ValueError(f"document type declared twice: {', '.join(duplicates)}")
        return documents


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    services: list[Service] = Field(min_length=1)

    @field_validator("services")
    @classmethod
    def _unique_slugs(cls, services: list[Service]) -> list[Service]:
        seen = [s.slug for s in services]
        duplicates = sorted({s for s in seen if seen.count(s) > 1})
        if duplicates:
            raise ValueError(f"service declared twice: {', '.join(duplicates)}")
        return services

    def source_urls(self) -> list[str]:
        """The URL of every page the registry names, in registry order."""
        return [str(source.url) for _s, document in self.documents() for source in document.sources]

    def documents(self, only: list[str] | tuple[str, ...] = ()) -> list[tuple[Service, Document]]:
        """Every (service, document) pair, or those named by ``only``.

        ``only`` takes service slugs (``cursor``) or document ids
        (``github-copilot/terms-of-service``); an unknown name is an error, not a silent no-op.
        """
        pairs = [(s, d) for s in self.services for d in s.documents]
        if not only:
            return pairs
        known = {s.slug for s in self.services} | {f"{s.slug}/{d.type}" for s, d in pairs}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise RegistryError(
                f"no such source in the registry: {', '.join(unknown)} "
                "(give a service slug such as 'cursor' or a document id such as "
                "'github-copilot/terms-of-service'; `termwatch sources` lists them)"
            )
        return [(s, d) for s, d in pairs if s.slug in only or f"{s.slug}/{d.type}" in only]


def slugify(name: str) -> str:
    """``Terms of Service`` -> ``terms-of-service``: an Open Terms Archive name as a slug."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_registry(path: str | Path = DEFAULT_REGISTRY) -> Registry:
    """Read and validate a registry file; raise RegistryError with one line per problem."""
    path = Path(path)
    if path == DEFAULT_REGISTRY and not path.exists():
        path = SHIPPED_REGISTRY
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such registry file") from None
    except OSError as error:
        raise RegistryError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise RegistryError(
            f"{path}: not a text file (byte {error.start} is not UTF-8): a registry is YAML text"
        ) from None
    except yaml.YAMLError as error:
        raise RegistryError(f"{path}: not valid YAML: {_yaml_problem(error)}") from None
    try:
        return Registry.model_validate(raw)
    except ValidationError as error:
        raise RegistryError(
            "\n".join(_describe(path, raw, problem) for problem in error.errors())
        ) from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's several-line message, as one line: what is wrong, and where."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark:
        mark = error.problem_mark
        return f"{error.problem} (line {mark.line + 1}, column {mark.column + 1})"
    return " ".join(str(error).split())


def _describe(path: Path, raw: object, problem: dict) -> str:
    """One readable line: file, entry (named by its slug/type), field, what is wrong."""
    where: list[str] = []
    node = raw
    for part in problem["loc"]:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            name = (
                node.get("slug") or node.get("type") or node.get("url")
                if isinstance(node, dict)
                else None
            )
            where[-1] = f"{where[-1]}[{part}]" + (f" ({name})" if name else "")
        elif isinstance(part, str) and part not in SELECTOR_KINDS:
            where.append(part)
            node = node.get(part) if isinstance(node, dict) else None
        # else: which kind of selector pydantic read, not a field
    message = problem["msg"].removeprefix("Value error, ")
    return f"{path}: {' > '.join(where) or 'top level'}: {message}"

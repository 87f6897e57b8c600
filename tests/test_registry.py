"""The sources registry is validated on load, with one readable line per problem."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from termwatch.cli import cli
from termwatch.crawler.registry import RegistryError, load_registry

VALID = """
services:
  - slug: acme-code
    name: Acme Code
    provider: Acme
    category: coding-assistant
    url: https://acme.example/code
    documents:
      - type: terms-of-service
        title: Acme Terms
        sources:
          - url: https://acme.example/terms
            select: main
            remove: [nav, footer]
"""


def test_the_project_registry_is_valid_and_covers_the_assistants():
    registry = load_registry()
    slugs = {service.slug for service in registry.services}
    assert len(registry.services) >= 20
    assert len(registry.documents()) >= 40
    for required in [
        "github-copilot",
        "cursor",
        "anthropic",
        "openai-chatgpt",
        "aws",
        "google-cloud",
        "tabnine",
        "codeium",
        "replit",
        "jetbrains-ai",
        "sourcegraph-cody",
        "lovable",
        "bolt-new",
        "vercel-v0",
        "mistral-vibe",
        "tempo-labs",
    ]:
        assert required in slugs


def test_a_valid_entry_loads_with_its_defaults(write_registry):
    registry = load_registry(write_registry(VALID))
    ((service, document),) = registry.documents()
    assert service.slug == "acme-code"
    assert document.kind == "terms-of-service"
    assert document.sources[0].select == ["main"]  # a single selector becomes a list
    assert document.audience == "everyone"


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            VALID.replace("url: https://acme.example/terms", "url: not-a-url"),
            "services[0] (acme-code) > documents[0] (terms-of-service) > sources[0] (not-a-url)"
            " > url",
        ),
        (
            VALID.replace("select: main", "select: []"),
            "sources[0] (https://acme.example/terms) > select: needs at least one selector",
        ),
        (
            VALID.replace("type: terms-of-service", "type: terms-of-servise"),
            "unknown document type 'terms-of-servise'",
        ),
        (
            VALID.replace("category: coding-assistant", "category: toaster"),
            "services[0] (acme-code) > category",
        ),
        (VALID.replace("slug: acme-code", "slug: Acme Code"), "services[0]"),
        (
            VALID.replace("        title: Acme Terms\n", ""),
            "documents[0] (terms-of-service) > title",
        ),
        (
            VALID.replace("select: main", "select: [{startBefore: h1}]"),
            "exactly one of endBefore / endAfter",
        ),
        (VALID + "    colour: blue\n", "colour: Extra inputs are not permitted"),
    ],
)
def test_a_malformed_entry_names_the_entry_and_the_field(write_registry, broken, expected):
    with pytest.raises(RegistryError) as raised:
        load_registry(write_registry(broken))
    assert expected in str(raised.value)
    assert "sources.yml: " in str(raised.value)


def test_duplicate_services_are_refused(write_registry):
    doubled = VALID + VALID.split("services:\n", 1)[1]
    with pytest.raises(RegistryError, match="service declared twice: acme-code"):
        load_registry(write_registry(doubled))


def test_unknown_source_names_are_an_error_not_a_silent_no_op(write_registry):
    registry = load_registry(write_registry(VALID))
    assert registry.documents(["acme-code/terms-of-service"])
    with pytest.raises(RegistryError, match="no such source in the registry: cursor"):
        registry.documents(["cursor"])


def test_the_cli_reports_registry_errors_on_stderr_without_a_traceback(write_registry, tmp_path):
    path = write_registry(VALID.replace("select: main", "select: []"))
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "--sources", str(path), "sources"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "select" in result.output
    assert "Traceback" not in result.output


def test_a_missing_or_broken_file_is_one_line(write_registry, tmp_path):
    with pytest.raises(RegistryError, match="no such registry file"):
        load_registry(tmp_path / "nope.yml")
    with pytest.raises(RegistryError, match="not valid YAML") as raised:
        load_registry(write_registry("services: [unclosed"))
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("[{startBefore: h1}]", "a range selector needs exactly one of endBefore / endAfter"),
        (
            "[{startBefore: h1, endBefore: h2, colour: blue}]",
            "colour: Extra inputs are not permitted",
        ),
        ("[3]", "a selector is a CSS string or a range"),
    ],
)
def test_a_broken_selector_is_one_line_without_pydantic_internals(
    write_registry, selector, expected
):
    path = write_registry(VALID.replace("select: main", f"select: {selector}"))
    with pytest.raises(RegistryError) as raised:
        load_registry(path)
    [line] = str(raised.value).splitlines()
    where = (
        "services[0] (acme-code) > documents[0] (terms-of-service) > "
        "sources[0] (https://acme.example/terms) > select[0]"
    )
    assert line.startswith(f"{path}: {where}")
    assert expected in line and "function-after" not in line and " > str" not in line


def test_sources_compiles_every_css_selector(write_registry, tmp_path):
    path = write_registry(VALID.replace("remove: [nav, footer]", "remove: [nav, 'div[[[']"))
    result = CliRunner().invoke(cli, ["--sources", str(path), "sources"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: acme-code/terms-of-service: https://acme.example/terms: selector 'div[[[' is not "
        "valid CSS (Malformed attribute selector at position 3)"
    ]
    assert "registry OK" not in result.output


def test_a_binary_or_unreadable_registry_is_one_line(tmp_path):
    binary = tmp_path / "sources.yml"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RegistryError) as raised:
        load_registry(binary)
    assert (
        str(raised.value)
        == f"{binary}: not a text file (byte 128 is not UTF-8): a registry is YAML text"
    )
    control = tmp_path / "control.yml"
    control.write_bytes(b"services: \x01\x02\n")
    with pytest.raises(
        RegistryError, match=r"not valid YAML: unacceptable character #x0001"
    ) as raised:
        load_registry(control)
    assert "\n" not in str(raised.value)

"""Classification: the rules on sentences we wrote, and the trained pipeline built by our code."""

from __future__ import annotations

import pytest
import spacy

from termwatch.analysis import training
from termwatch.analysis.components import RULES, compile_pattern, rule_categories
from termwatch.analysis.pipeline import classify, decisions, load_pipeline
from termwatch.analysis.taxonomy import CODES

SENTENCES = {
    "law": "These Terms are governed by the laws of the State of California.",
    "j": "You agree to submit to the exclusive jurisdiction of the courts of Dublin, Ireland.",
    "a": "Any dispute will be resolved by final and binding arbitration before one arbitrator.",
    "use": "By accessing or using the Service, you agree to be bound by these Terms.",
    "ch": "We reserve the right to modify these Terms at any time without notice to you.",
    "ter": "We may suspend or terminate your account at any time for any reason.",
    "cr": "We may remove any content you post at any time in our sole discretion.",
    "ltd": "In no event shall we be liable for any indirect or consequential damages.",
    "training": "We do not use your prompts or code to train our models.",
    "output_ownership": "As between the parties, you own all Output generated for you.",
    "input_license": "You grant us a worldwide license to host and process your Inputs.",
    "warranty": "The Service and all Suggestions are provided as is, without warranty of any kind.",
    "user_indemnity": "You will defend and indemnify us against any claims arising from your use.",
    "provider_indemnity": "We will defend you against any claim that the Output infringes.",
    "output_responsibility": "You are responsible for reviewing and testing any Output before use.",
    "ai_disclosure": "You may not represent that AI-generated output was human-generated.",
}


@pytest.fixture(scope="module")
def rules():
    nlp = spacy.blank("en")
    nlp.add_pipe("termwatch_rules")
    return nlp


def test_every_category_has_rules():
    assert set(RULES) == set(CODES)


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_the_rules_recognise_a_typical_clause_of_each_category(rules, code):
    assert code in rule_categories(rules(SENTENCES[code]))


# Paraphrases of the definitions of the formulaic categories, written for these tests: none is
# a sentence of a training document. The rules must recognise them, as they must recognise
# the wording of terms they were not written from.
PARAPHRASES = {
    "a": [
        "Disputes will be referred to and finally resolved by arbitration under the LCIA Rules.",
        "All disputes shall be finally settled under the Rules of Arbitration of the ICC.",
        "We each agree to resolve any dispute through binding individual arbitration.",
        "Any claim between us will be heard by a neutral arbitrator instead of a judge or jury.",
        "You and the Company agree to resolve disputes in arbitration administered by JAMS.",
        "Any controversy arising out of these terms shall be arbitrated on an individual basis.",
        "Claims must be brought in individual arbitration, not in any class proceeding.",
    ],
    "law": [
        "The laws of England and Wales apply to these terms.",
        "These terms, and any dispute about them, are subject to German law.",
        "This agreement will be interpreted under the law of the Province of Ontario.",
        "Irish law applies to this contract, without regard to its conflict of laws rules.",
        "The substantive laws of Sweden govern this agreement.",
        "Any dispute arising from these Terms shall be governed by Swiss law.",
    ],
    "j": [
        "The courts of Amsterdam shall have exclusive jurisdiction over any dispute.",
        "Any legal action must be filed in the state or federal courts located in King County.",
        "You may bring a claim in the courts of the country where you live.",
        "Each party irrevocably submits to the jurisdiction of the courts of Singapore.",
        "Disputes shall be heard exclusively by the competent courts of Paris.",
        "Any lawsuit relating to the Service must be brought in Santa Clara County, California.",
    ],
    "use": [
        "By signing up for an account, you accept these terms.",
        "Your use of the app means you agree to this agreement.",
        "Using the Services indicates that you have read and accept these Terms.",
        "Accessing our website constitutes your agreement to be bound by these conditions.",
        "If you do not accept these terms, you must stop using the Service.",
        "By installing the software you confirm that you accept this licence.",
    ],
}


@pytest.mark.parametrize(
    ("code", "sentence"),
    [(code, sentence) for code, sentences in PARAPHRASES.items() for sentence in sentences],
)
def test_the_rules_recognise_paraphrases_of_the_definitions(rules, code, sentence):
    assert code in rule_categories(rules(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Governing Law and Jurisdiction",  # a title, not a clause
        "You may contact our support team by email at any time during business hours.",
        "The arbitrator's award shall be written in English.",
        "Dispute Resolution by Binding Arbitration",  # a heading in title case
        "You must comply with all applicable laws when you use the Service.",
        "Our arbitration team is not involved in customer support.",
        "The courts have held that such terms are fair.",
        "We comply with the law of data protection in every country where we operate.",
        "We use cookies to make the site work.",
    ],
)
def test_the_rules_of_formulaic_categories_stay_silent_on_near_misses(rules, sentence):
    assert not rule_categories(rules(sentence)) & {"law", "j", "a", "use"}


def test_rule_spans_are_the_evidence_in_the_sentence(rules):
    doc = rules(SENTENCES["law"])
    (span,) = [span for span in doc.spans["termwatch_rules"] if span.label_ == "law"]
    assert span.text == "governed by the laws"


def test_pattern_notation_compiles_to_matcher_tokens():
    assert compile_pattern("by ~2 using|accessing you? terminat*") == [
        {"LOWER": "by"},
        {"OP": "{0,2}"},
        {"LOWER": {"IN": ["using", "accessing"]}},
        {"LOWER": "you", "OP": "?"},
        {"LOWER": {"REGEX": "^(?:terminat)"}},
    ]


# --- the trained pipeline, built by the same code as `termwatch train`, on tiny data ----------

FAST = {"training.max_epochs": 4}


def tiny_examples() -> list[training.TrainingExample]:
    """A few documents of invented sentences: enough for spaCy to learn something quickly."""
    positives = {
        "ch": "We may change the prices of the service whenever we like.",
        "ter": "We can close your account if we want to.",
        "ltd": "We shall not be liable for any loss of profits.",
    }
    negatives = [
        "Our office is open on weekdays.",
        "Please read these terms carefully.",
        "You can contact us by email.",
    ]
    examples = []
    for document in range(6):
        for code, text in positives.items():
            cats = {other: float(other == code) for other in positives}
            examples.append(training.TrainingExample(f"{text} ({document})", cats, f"d{document}"))
        for text in negatives:
            cats = dict.fromkeys(positives, 0.0)
            examples.append(training.TrainingExample(f"{text} ({document})", cats, f"d{document}"))
    return examples


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    model_dir = tmp_path_factory.mktemp("model")
    training.build_model(tiny_examples(), model_dir, inner_folds=2, overrides=FAST)
    return model_dir


def test_classify_returns_categories_with_score_and_source(tiny_model):
    nlp = load_pipeline(tiny_model)
    texts = [
        "We shall not be liable for any loss of profits.",
        "These Terms are governed by the laws of Ireland.",
        "Our office is open on weekdays.",
    ]
    liability, law, nothing = classify(nlp, texts)
    assert "ltd" in liability and liability["ltd"][1] == "model"
    assert 0.0 <= liability["ltd"][0] <= 1.0
    # "law" is not a label of this tiny model: its rule decides.
    assert law["law"][:2] == (1.0, "rule")
    assert {label.confidence for labels in (liability, law) for label in labels.values()} <= {
        "certain",
        "likely",
    }
    assert "law" not in nothing
    nlp_scores = [doc.cats["ltd"] for doc in nlp.pipe([texts[0], texts[2]])]
    assert nlp_scores[0] > nlp_scores[1]


def test_the_pipeline_starts_from_a_blank_english_pipeline_with_our_components(tiny_model):
    nlp = load_pipeline(tiny_model)
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["termwatch_rules", "textcat_multilabel"]
    assert set(decisions(nlp)) == {"ch", "ter", "ltd"}


def test_building_again_with_the_same_inputs_is_skipped(tiny_model):
    meta = tiny_model / training.PIPELINE_DIR / "meta.json"
    before = meta.stat().st_mtime_ns
    training.build_model(tiny_examples(), tiny_model, inner_folds=2, overrides=FAST)
    assert meta.stat().st_mtime_ns == before


def test_the_same_seed_builds_a_model_with_the_same_scores(tiny_model, tmp_path):
    again = tmp_path / "again"
    training.build_model(tiny_examples(), again, inner_folds=2, overrides=FAST)
    texts = ["We may change the prices at any time.", "You can contact us by email."]
    first = [doc.cats for doc in load_pipeline(tiny_model).pipe(texts)]
    second = [doc.cats for doc in load_pipeline(again).pipe(texts)]
    assert first == second


def test_thresholds_are_the_best_f1_cut():
    import numpy

    scores = numpy.asarray([0.9, 0.8, 0.3, 0.35, 0.6, 0.2, 0.1])
    gold = numpy.asarray([True, True, True, True, True, False, False])
    assert 0.2 < training.best_threshold(scores, gold) <= 0.3  # all positives, no negative
    few = numpy.asarray([True, False, False, False, False, False, False])
    assert training.best_threshold(scores, few) == training.DEFAULT_THRESHOLD


def test_each_category_is_decided_the_way_that_scored_best_on_unseen_documents():
    import numpy

    gold = numpy.asarray([True, True, True, True, True, False, False, False])
    exact_rule = gold.copy()
    noisy_scores = numpy.asarray([0.9, 0.2, 0.8, 0.1, 0.7, 0.75, 0.3, 0.85])
    assert training.best_decision(noisy_scores, exact_rule, gold).mode == "rules"
    silent_rule = numpy.zeros_like(gold)
    clean_scores = numpy.asarray([0.9, 0.8, 0.8, 0.7, 0.7, 0.1, 0.3, 0.2])
    chosen = training.best_decision(clean_scores, silent_rule, gold)
    assert chosen.mode == "model" and 0.3 < chosen.threshold <= 0.7
    half_rule = numpy.asarray([True, True, False, False, False, False, False, False])
    half_scores = numpy.asarray([0.1, 0.1, 0.8, 0.7, 0.9, 0.2, 0.3, 0.2])
    assert training.best_decision(half_scores, half_rule, gold).mode == "rules_or_model"


@pytest.mark.parametrize(
    "mode, score, matched, source",
    [
        ("model", 0.7, False, "model"),
        ("model", 0.2, True, None),  # the classifier decides; a rule match is only a feature
        ("model", None, True, "rule"),  # a category the classifier was not trained on
        ("rules", 0.9, False, None),
        ("rules", 0.1, True, "rule"),
        ("rules_or_model", 0.7, False, "model"),
        ("rules_or_model", 0.7, True, "rule"),  # the rule's span is the better evidence
        ("rules_or_model", 0.2, False, None),
    ],
)
def test_a_decision_names_what_gives_the_category(mode, score, matched, source):
    assert training.Decision(mode, 0.5).source(score, matched) == source


def test_train_command_builds_then_skips_an_unchanged_model(tmp_path):
    from click.testing import CliRunner

    from termwatch.cli import cli

    bench = tmp_path / "bench"
    (bench / "sentences").mkdir(parents=True)
    (bench / "tags").mkdir()
    for n in range(3):
        rows = [
            (f"We may terminate your account at any time, customer {n}.", "ter2"),
            (f"Our shop sells shoes and hats, customer {n}.", ""),
        ]
        (bench / "sentences" / f"D{n}.txt").write_text("\n".join(s for s, _ in rows) + "\n")
        (bench / "tags" / f"D{n}.txt").write_text("\n".join(t for _, t in rows) + "\n")
    arguments = ["train", "--unfair-tos", str(bench), "--annotations", str(tmp_path / "none")]
    arguments += ["--output", str(tmp_path / "model")]
    first = CliRunner().invoke(cli, arguments)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "model" / "pipeline" / "meta.json").exists()
    second = CliRunner().invoke(cli, arguments)
    assert "up to date" in second.stderr


def test_a_label_is_certain_from_the_strength_where_labels_were_right_nine_times_in_ten():
    import numpy

    # Model scores of ten sentences: the best F1 takes the top eight (one of them wrong);
    # from 0.8 up, every label was right.
    scores = numpy.asarray([0.99, 0.97, 0.95, 0.93, 0.92, 0.8, 0.7, 0.6, 0.3, 0.1])
    gold = numpy.asarray([True] * 6 + [False, True, False, False])
    matched = numpy.zeros(10, dtype=bool)
    decision = training.best_decision(scores, matched, gold)
    assert decision.mode == "model" and decision.threshold <= 0.6
    assert 0.7 < decision.certain <= 0.8
    assert decision.confidence(0.95, "model") == "certain"
    assert decision.confidence(0.65, "model") == "likely"
    # A category whose labels were never right often enough has no certain ones.
    noisy = numpy.asarray([True, False] * 5)
    assert training.best_decision(scores, matched, noisy).certain is None


def test_decisions_are_stored_as_data_and_read_back(tmp_path, caplog):
    path = tmp_path / "decisions.json"
    tuned = {"ltd": training.Decision("model", 0.35, 0.8), "a": training.Decision("rules", 0.5)}
    training.save_decisions(tuned, tiny_examples(), folds=3, path=path)
    assert training.load_decisions(tiny_examples(), path) == tuned
    assert not caplog.records
    # Other data: the decisions still serve, with a warning that a retune is due.
    training.load_decisions(tiny_examples()[1:], path)
    assert "train --tune" in caplog.text


def test_missing_decisions_say_how_to_derive_them(tmp_path):
    with pytest.raises(training.TrainingError, match="termwatch train --tune"):
        training.load_decisions(path=tmp_path / "none.json")


def test_the_stored_decisions_cover_every_category():
    assert set(training.load_decisions()) == set(CODES)

"""termwatch's spaCy components and model architecture, registered with spaCy's registries.

Terms of service are written from a small stock of formulas: "governed by the laws of",
"submit to the exclusive jurisdiction of the courts of", "by using the Service, you agree",
"we may terminate your account at any time". Where the language is that formulaic a rule
is more precise and more explainable than a statistical guess, and where it is not (which
liability limitation is there, which change clause), a trained classifier generalises
better than any list of phrases. So the pipeline has both, and they help each other:

* ``termwatch_rules`` runs a spaCy :class:`~spacy.matcher.Matcher` over each sentence and
  stores what matched in ``doc.spans["termwatch_rules"]`` (the span is the evidence; its
  label is the category code);
* the ``textcat_multilabel`` component (factory ``termwatch_textcat_multilabel``) is spaCy's
  multi-label text classifier with two changes: its model, ``termwatch.ClauseBOW.v2``, sees
  lower-cased word n-grams *and* which rules matched, and its loss weighs the rare positive
  examples more (most sentences have no category, so an unweighted model learns to say
  "none").

:mod:`analysis.pipeline` decides per category from both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import IS_ALPHA, LOWER, ORTH, SPACY
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.textcat_multilabel import MultiLabel_TextCategorizer
from spacy.strings import hash_string
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Linear, Logistic, Model, SparseLinear_v2, add, chain, with_cpu
from thinc.types import Floats2d

from termwatch.analysis.segment import is_title

RULES_KEY = "termwatch_rules"
MIN_CLAUSE_WORDS = 5
CACHE_SIZE = 50_000

# --- rules --------------------------------------------------------------------------------------
#
# Patterns in a small notation, one string per pattern, tokens separated by spaces:
#   word        the token, lower-cased          a|b|c     any of these tokens
#   stem*       a token starting with "stem"    x?        the token x, optional
#   ~N          up to N tokens of anything
# They are written to be precise rather than complete: the classifier covers the long tail,
# and a rule that fires wrongly teaches the classifier a wrong feature.
# The patterns of the benchmark's categories written while reading its training documents
# are kept only where they fire on clauses of their category in at least two of them: one
# that fits a single document learnt that document's wording, not the category's. Those
# marked "from the definition" were written from the categories' definitions (UNFAIR-ToS,
# LexGLUE) and tested on paraphrases of ours (tests/test_classification.py), not read off
# benchmark sentences.

_MODAL = "may|can|will|shall|could|might"
_RESERVE = "reserve|reserves|retain|retains"
_PROVIDER_ACTS = f"{_MODAL}|{_RESERVE}"
# Laws named by their country or state ("German law", "California law"): choice-of-law
# clauses name one, other mentions of law ("applicable law") do not.
_NAMED_LAW = (
    "english|british|irish|scottish|german|french|dutch|belgian|swiss|swedish|danish|"
    "norwegian|finnish|austrian|italian|spanish|portuguese|polish|luxembourg|japanese|"
    "singapore|singaporean|chinese|korean|indian|israeli|canadian|australian|american|"
    "californian|california|delaware|york|washington|texas|ontario|massachusetts"
)

RULES: dict[str, tuple[str, ...]] = {
    # Choice of law: which law governs the terms.
    "law": (
        "governed by ~6 law|laws",
        "governed ~3 in accordance with ~3 law|laws",
        "construed ~6 in accordance with ~3 law|laws",
        "subject to ~2 law|laws of",
        "law|laws of ~8 shall|will|to apply|applies|govern|governs",
        "governing law ~2 is|shall|will",
        "choice of law rules|provisions|principles",
        "conflict|conflicts of law|laws rules|provisions|principles",
        "law|laws of ~6 apply|applies",
        "country's|country’s|state's|state’s|jurisdiction's|jurisdiction’s "
        "laws|law ~3 apply|applies",
        "mandatory ~6 law|laws|provisions|rules|legislation ~6 "
        "consumer|country|residence|reside|live",
        "mandatory consumer ~2 law|laws|protection|protections|rules|provisions|legislation",
        "consumer protection law|laws|legislation ~6 apply|applies|remain|remains",
        # Written from the definition (which law governs), with paraphrases as tests:
        f"subject to ~1 the? {_NAMED_LAW} law|laws",
        f"{_NAMED_LAW} law|laws ~2 apply|applies|govern|governs|shall|will ~2 govern|apply?",
        "law|laws of ~6 govern|governs",
        "interpreted|construed|enforced ~4 under|by ~3 law|laws of",
    ),
    # Jurisdiction: which courts hear disputes.
    "j": (
        "exclusive|non-exclusive|nonexclusive ~2 jurisdiction",
        "jurisdiction and venue",
        "venue and jurisdiction",
        "submit|consent|submits|consents ~3 to ~3 jurisdiction|venue",
        "brought|filed|resolved|litigated|heard ~4 in|before ~1 the courts|court of|in|located",
        "competent courts|court of|in",
        "court|courts of ~3 competent jurisdiction ~3 located",
        "courts|court located in|within",
        "subject to ~3 jurisdiction|courts|court",
        "jurisdiction of ~3 courts|court",
        "court|courts ~10 shall|will|to have ~2 jurisdiction",
        "brought|filed|resolved|litigated|heard|settled|decided|resolve|bring|litigate ~10 "
        "in|before|by ~6 court|courts of|in|located|sitting",
        "personal jurisdiction",
        "exclusive|sole forum|court|courts",
        "local|home courts|court",
        # Written from the definition (which courts hear disputes):
        "brought|filed|litigated|commenced ~6 in ~6 county|counties",
        "venue ~4 shall|will|is|lies ~6 court|courts|county",
    ),
    # Arbitration: disputes go to an arbitrator, not to court.
    "a": (
        "binding ~2 arbitration",
        "resolved|settled|determined|decided ~6 by|through|in ~2 arbitration",
        "agree|agrees ~3 to arbitrate",
        "arbitration ~3 will|shall take place|be held|be conducted in|at",
        "arbitration hearing ~2 will|shall ~2 occur|take",
        "through|by ~2 individual|exclusive|confidential|final ~2 arbitration",
        # Written from the definition (disputes go to an arbitrator, not to a court):
        "resolve|settle|settled|resolved ~6 in|via|under ~2 arbitration",
        "decided|resolved|settled|heard|determined ~4 by ~2 arbitrator|arbitrators|arbitral",
        "arbitration|arbitrator|arbitrators ~12 instead|rather ~3 court|courts|judge|jury",
        "rules of arbitration",
        "be|are|shall|will ~1 arbitrated",
        "individual ~1 arbitration|arbitrations",
        "arbitration ~2 administered by",
    ),
    # Contract by using: using the service binds you to the terms.
    "use": (
        "by ~1 using|accessing|visiting|browsing|downloading|installing|registering|creating "
        "~10 you ~4 agree|accept|consent|acknowledge|signify|confirm|agreeing|accepting ~4 "
        "terms|agreement|conditions|tos|bound",
        "use|access|using|accessing ~10 constitutes|constitute|signifies|indicates|means ~4 "
        "acceptance|agreement|consent|accept|agree ~3 to? ~3 "
        "terms|agreement|conditions|tos|bound|changes|them",
        "continued|continuing use|access ~10 "
        "constitutes|constitute|means|signifies|indicates|deemed|be|will ~4 "
        "acceptance|agreement|accept|agree|consent|agreed|accepted",
        "if you do not agree ~8 do not|must not|may not|should not ~2 use|access",
        # Written from the definition (using binds you), with paraphrases as tests:
        "if you do not|don't accept ~8 must|should|may|do ~2 not? ~2 stop|cease|discontinue|use",
        "use|using|access|accessing ~8 indicates|signifies|means|confirms ~2 that? ~1 you ~6 "
        "accept|agree|consent",
        "by ~1 using|accessing|installing|downloading ~8 you ~4 agree|accept|confirm ~6 "
        "license|licence|eula",
        "if you don't agree ~8 don't|do|must ~2 use|access",
        "use ~6 is|are subject to ~3 terms|conditions|agreement",
        "by ~1 continuing|clicking|placing|signing|creating ~2 to? ~1 "
        "using|use|accessing|access|account|order|up ~12 you ~2 agree|accept|confirm|agreeing|"
        "accepting|confirming",
        "deemed to ~2 have ~2 accepted|agreed|accept|consented",
        "use|using|access ~12 constitutes|constitute|implies|indicates|signifies|serves ~6 "
        "acceptance|consent|agreement",
        "continue|continued|continuing ~2 use|using|access|accessing ~12 bound|acceptance|accepted",
    ),
    # Unilateral change: the provider may change the terms or the service.
    "ch": (
        f"{_PROVIDER_ACTS} ~3 the? right? to? ~2 change|modify|amend|update|revise|alter ~4 "
        f"these|this|the|our "
        f"terms|agreement|conditions|policy|policies|prices|pricing|fees|charges",
        f"{_PROVIDER_ACTS} ~2 change|modify|amend|update|revise ~3 these|this terms|agreement",
        f"{_PROVIDER_ACTS} ~4 modify|change|discontinue|suspend ~3 the|our|any "
        f"service|services|features|app|website|site ~4 at any time",
        "reserve|reserves the right ~2 to ~3 change|modify|amend|update|revise|discontinue",
        "changes|modifications|amendments|updates ~4 will|shall be ~2 effective|binding|posted",
        "changes|modifications ~4 become effective",
        "from time to time ~4 change|modify|amend|update|revise",
        "change|modify|amend|update|revise ~6 from time to time",
        "change|modify|amend|update|revise ~6 at any time",
    ),
    # Unilateral termination: the provider may suspend or end your account or access.
    "ter": (
        f"{_PROVIDER_ACTS} ~3 "
        f"terminate|suspend|deactivate|disable|close|cancel|restrict|block|revoke|ban ~4 "
        f"your|the|any|user|its "
        f"account|accounts|access|membership|use|subscription|relationship|agreement|registration|license|right",
        "reserve|reserves the right ~3 to ~2 terminate|suspend|refuse|deny|revoke|cancel|ban",
        "terminate|suspend ~8 at any time ~4 for any|without",
        "terminate|suspend ~10 in our|its sole|absolute discretion",
        "terminate|suspend ~10 at our|its sole|absolute discretion",
        "termination|suspension of your account|access",
        "account|accounts|access may be terminated|suspended|deleted|closed|disabled",
    ),
    # Content removal: the provider may remove your content.
    "cr": (
        f"{_PROVIDER_ACTS} ~6 remove|delete|disable|block|edit|refuse|reject|screen|take ~6 "
        f"content|submission|submissions|material|materials|posts|post|reviews|review|photos|listings|information|data",
        "remove|delete ~3 any|your content|submissions|materials ~6 at any "
        "time|sole|discretion|without",
        "right ~4 to ~3 remove|delete|disable|refuse ~4 content|submission|material",
        "content ~4 may be removed|deleted|disabled|taken",
    ),
    # Limitation of liability.
    "ltd": (
        "not|no ~1 be ~1 liable",
        "not|no ~3 responsible|liable for ~8 damages|losses|loss|damage",
        "in no event ~10 liable|liability|responsible",
        "limitation|limitations of liability",
        "exclusion|exclusions|limitation of ~2 damages",
        "liability ~8 shall|will|not exceed|limited",
        "aggregate|total|entire|maximum liability",
        "indirect|incidental|consequential|special|punitive ~4 damages|losses",
        "disclaim|disclaims|exclude|excludes ~3 all|any liability",
        "at your own|sole risk",
        "no liability",
        "not ~2 responsible ~4 for ~10 loss|damage|content|actions|conduct|availability|errors",
    ),
    # --- AI coding assistants ---
    "training": (
        "train|training|trains|trained|improve|improving|develop|developing ~4 "
        "our|its|the|their|any|ai|machine|language|foundation models|model|algorithms|ai",
        "use|uses|using ~6 to train",
        "used ~4 for ~2 training",
        "model training",
        "training data",
        "opt out|opt-out ~8 training|train|improve",
    ),
    "output_ownership": (
        "own|owns|retain|retains ~4 all? ~2 rights? ~3 "
        "output|outputs|suggestions|completions|generated|responses",
        "ownership of ~4 output|outputs|suggestions|completions|generated",
        "assign|assigns|assigned ~10 output|outputs|suggestions|completions",
        "not claim ownership ~4 output|outputs|suggestions|code|completions",
        "output|outputs|suggestions|completions ~6 belong|belongs|owned",
    ),
    "input_license": (
        "grant|grants ~6 license|licence|right ~14 "
        "input|inputs|prompts|content|code|data|submissions|materials|customer",
        "license|licence ~4 to ~6 use|host|store|reproduce|process ~10 "
        "input|inputs|prompts|content|code|data",
        "worldwide ~6 license|licence|right",
        "royalty-free|royalty free ~4 license|licence|right",
    ),
    "warranty": (
        "as is|as-is|as available|as-available",
        "without ~2 warranty|warranties|warrant|representation",
        "disclaim|disclaims|disclaimer ~6 warranty|warranties|representations",
        "no|not ~3 warranty|warranties|warrant|guarantee|guarantees",
        "merchantability|noninfringement|non-infringement",
        "fitness for a particular purpose",
        "do|does not warrant|guarantee|represent",
    ),
    "user_indemnity": (
        "you ~6 indemnify|indemnity|defend ~14 "
        "us|anthropic|openai|github|google|microsoft|provider|company|affiliates",
        "you ~4 will|shall|agree|must ~4 defend|indemnify",
        "customer ~4 will|shall|agrees ~4 defend|indemnify",
        "indemnify|defend ~6 and hold harmless",
        "hold ~8 harmless",
    ),
    "provider_indemnity": (
        "we|anthropic|openai|github|microsoft|google|provider|company ~4 "
        "will|shall|agree|agrees ~4 defend|indemnify ~10 you|customer|customers|users",
        "defend ~4 you|customer ~12 claim|claims|infringe|infringes|infringement",
        "indemnify ~4 you|customer ~12 claim|claims|infringe|infringes|infringement",
        "ip|intellectual property indemnity|indemnification",
        "copyright commitment|shield",
    ),
    "output_responsibility": (
        "you|customer ~4 are|is|remain|remains ~3 responsible ~6 "
        "output|outputs|suggestions|completions|code|use",
        "responsible for ~4 reviewing|evaluating|testing|verifying|validating ~6 "
        "output|outputs|suggestions|code|completions",
        "review|evaluate|verify|test|validate ~4 output|outputs|suggestions|completions ~6 before",
        "sole|solely|fully responsible ~6 output|outputs|suggestions|completions",
        "output|outputs ~8 may ~4 inaccurate|incorrect|errors|wrong|misleading|offensive",
        "not rely on ~4 output|outputs",
    ),
    "ai_disclosure": (
        "disclose|disclosure|indicate|state ~6 "
        "ai|ai-generated|artificial|machine-generated|automated|generated",
        "represent|present|claim|pass ~6 output|outputs|content|it ~4 human-generated|human|humans",
        "human-generated|human-written|human-created",
        "ai-generated|generated by ai|generated by artificial intelligence",
        "not ~4 generated by a human|humans",
    ),
}


def compile_pattern(pattern: str) -> list[dict[str, Any]]:
    """Turn the notation above into a spaCy Matcher token pattern."""
    tokens: list[dict[str, Any]] = []
    for piece in pattern.split():
        if piece.startswith("~"):
            tokens.append({"OP": f"{{0,{int(piece[1:])}}}"})
            continue
        optional = piece.endswith("?") and len(piece) > 1
        alternatives = piece.rstrip("?").split("|") if optional else piece.split("|")
        if any(alternative.endswith("*") for alternative in alternatives):
            regex = "|".join(
                re.escape(alternative[:-1])
                if alternative.endswith("*")
                else re.escape(alternative) + "$"
                for alternative in alternatives
            )
            token: dict[str, Any] = {"LOWER": {"REGEX": f"^(?:{regex})"}}
        elif len(alternatives) == 1:
            token = {"LOWER": alternatives[0]}
        else:
            token = {"LOWER": {"IN": alternatives}}
        if optional:
            token["OP"] = "?"
        tokens.append(token)
    return tokens


class ClauseRules:
    """Mark the formulas of each category: ``doc.spans["termwatch_rules"]`` gets one span per
    match (the shortest per category and start), labelled with the category code.

    Each pattern has its own Matcher, run only on sentences that contain the words the
    pattern cannot match without: a sentence mentions few of the formulas, and skipping the
    others makes the rules about twenty times faster than one Matcher holding them all.
    """

    def __init__(self, vocab: Vocab, name: str = "termwatch_rules"):
        self.name = name
        self.rules: list[tuple[list[_Required], Matcher]] = []
        for code, patterns in RULES.items():
            for pattern in patterns:
                matcher = Matcher(vocab)
                matcher.add(code, [compile_pattern(pattern)])
                self.rules.append((_required_words(pattern), matcher))
        self._cache = DocCache()

    def __call__(self, doc: Doc) -> Doc:
        # Training shows the same sentences every epoch: remember what matched in each.
        found = self._cache.get(doc, self._match)
        doc.spans[RULES_KEY] = [Span(doc, start, end, label=code) for code, start, end in found]
        return doc

    def _match(self, doc: Doc) -> tuple[tuple[str, int, int], ...]:
        best: dict[tuple[str, int], Span] = {}
        lower, alpha = doc.to_array([LOWER, IS_ALPHA]).T if len(doc) else ([], [])
        # A formula in a title ("Governing Law and Venue") heads a clause, it is not one.
        if sum(alpha) >= MIN_CLAUSE_WORDS and not is_title(doc.text):
            words = _Words(doc.vocab, set(lower.tolist()))
            for required, matcher in self.rules:
                if not all(alternatives.found_in(words) for alternatives in required):
                    continue
                for span in matcher(doc, as_spans=True):
                    key = (span.label_, span.start)
                    if key not in best or len(span) < len(best[key]):
                        best[key] = span
        spans = sorted(best.values(), key=lambda span: (span.start, span.label_))
        return tuple((span.label_, span.start, span.end) for span in spans)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # A rule-based component has nothing to save: its patterns are this module's code.
    def to_disk(self, path, exclude=()) -> None:
        pass

    def from_disk(self, path, exclude=()) -> ClauseRules:
        return self


class DocCache:
    """A bounded memo of something computed from a doc, keyed by its tokens.

    The key is the doc's token IDs and spaces, read as one array: ``doc.text`` would build a
    Python object per token, which costs more than most of what is worth remembering.
    """

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._values: dict[bytes, Any] = {}

    def clear(self) -> None:
        self._values.clear()

    def computed_from(self, source: object) -> DocCache:
        """This cache, emptied first if what it remembers was computed from something else
        than ``source`` (another model's word vectors, say)."""
        if getattr(self, "_source", None) is not source:
            self.clear()
            self._source = source
        return self

    def get(self, doc: Doc, compute: Callable[[Doc], Any]) -> Any:
        key = doc.to_array([ORTH, SPACY]).tobytes()
        value = self._values.get(key)
        if value is None:
            value = compute(doc)
            if len(self._values) >= self.size:
                self._values.pop(next(iter(self._values)))
            self._values[key] = value
        return value


class _Words:
    """The words of a sentence, as lower-case hashes, with their strings only when asked."""

    def __init__(self, vocab: Vocab, hashes: set[int]):
        self.vocab = vocab
        self.hashes = hashes
        self._strings: list[str] | None = None

    def any_starts_with(self, stems: tuple[str, ...]) -> bool:
        if self._strings is None:
            self._strings = [self.vocab.strings[key] for key in self.hashes]
        return any(word.startswith(stems) for word in self._strings)


@dataclass(frozen=True)
class _Required:
    """One position of a pattern that must be filled: any of these words, or word stems."""

    hashes: frozenset[int]
    stems: tuple[str, ...]

    def found_in(self, words: _Words) -> bool:
        return not self.hashes.isdisjoint(words.hashes) or (
            bool(self.stems) and words.any_starts_with(self.stems)
        )


def _required_words(pattern: str) -> list[_Required]:
    required = []
    for piece in pattern.split():
        if piece.startswith("~") or (piece.endswith("?") and len(piece) > 1):
            continue
        alternatives = piece.split("|")
        required.append(
            _Required(
                frozenset(hash_string(word) for word in alternatives if not word.endswith("*")),
                tuple(word[:-1] for word in alternatives if word.endswith("*")),
            )
        )
    return required


@Language.factory("termwatch_rules")
def make_clause_rules(nlp: Language, name: str) -> ClauseRules:
    return ClauseRules(nlp.vocab, name)


def rule_categories(doc: Doc) -> set[str]:
    """The categories whose rules matched ``doc`` (after ``termwatch_rules`` ran)."""
    return {span.label_ for span in doc.spans.get(RULES_KEY, [])}


# --- the classifier's model ----------------------------------------------------------------------


@registry.architectures("termwatch.ClauseBOW.v2")
def build_clause_bow(
    ngram_size: int = 2, length: int = 262144, static_vectors: bool = True, nO: int | None = None
) -> Model[list[Doc], Floats2d]:
    """A linear classifier over hashed features: the lower-cased word n-grams of the sentence
    (spaCy's TextCatBOW uses case-sensitive ORTH, which splits "LIABLE" from "liable" in terms
    that shout their limitations in capitals), a flag for sentences in capitals, and the
    categories whose rules matched. Features are binary, scaled to unit length, so that long
    sentences do not score high just for being long.

    With ``static_vectors``, a second linear layer reads the mean and the maximum of the
    sentence's word vectors (the vocab's, learned from unlabelled terms by
    :mod:`analysis.vectors`; none when the vocab has none), and the two add up before the
    sigmoid: n-grams say what a labelled sentence said, vectors carry it to its paraphrases."""
    features: Model = Model(
        "clause_features", _clause_features_forward, attrs={"ngram_size": ngram_size}
    )
    linear = SparseLinear_v2(nO=nO, length=2 ** (length - 1).bit_length())
    scores = with_cpu(chain(features, linear), features.ops)
    if static_vectors:
        scores = add(scores, chain(sentence_vectors(), Linear(nO=nO)))
    model = chain(scores, Logistic())
    model.set_ref("output_layer", linear)
    model.attrs["multi_label"] = True
    return model


def sentence_vectors() -> Model[list[Doc], Floats2d]:
    """Per doc, the mean and the maximum of its words' unit vectors (lower-cased words, the
    vocab's floret vectors), the mean scaled to unit length. Each word's vector is looked
    up once per model: floret computes it from hashed character n-grams, which is slow."""
    known: dict[int, numpy.ndarray] = {}

    def forward(model: Model, docs: list[Doc], is_train: bool):
        width = model.get_dim("nO")
        output = numpy.zeros((len(docs), width), dtype="f")
        table = docs[0].vocab.vectors if docs else None
        if table is None or table.shape[0] == 0 or table.shape[1] * 2 != width:
            return model.ops.asarray2f(output), lambda d_output: []
        # Each epoch of training sees the same sentences: their vectors are computed once.
        cache = _SENTENCE_VECTORS.computed_from(table)
        for row, doc in enumerate(docs):
            output[row] = cache.get(doc, lambda doc: _mean_and_max(doc, table, known, width))
        return model.ops.asarray2f(output), lambda d_output: []

    def init(model: Model, X: list[Doc] | None = None, Y=None) -> None:
        table = X[0].vocab.vectors if X else None
        dimensions = table.shape[1] if table is not None and table.shape[0] else 0
        model.set_dim("nO", max(2 * dimensions, 1))

    return Model("sentence_vectors", forward, init=init, dims={"nO": None})


def _mean_and_max(
    doc: Doc, table: Any, known: dict[int, numpy.ndarray], width: int
) -> numpy.ndarray:
    """The mean (unit length) and the maximum of the unit vectors of the doc's lower-cased
    words; ``known`` remembers each word's vector."""
    words = doc.to_array(LOWER)
    missing = sorted({int(word) for word in words} - known.keys())
    if missing:
        strings = doc.vocab.strings
        found = numpy.asarray(table.get_batch([strings[word] for word in missing]))
        found /= numpy.linalg.norm(found, axis=1, keepdims=True) + 1e-8
        known.update(zip(missing, found, strict=True))
    row = numpy.zeros(width, dtype="f")
    if len(words):
        stacked = numpy.stack([known[int(word)] for word in words])
        mean = stacked.mean(axis=0)
        row[: width // 2] = mean / (numpy.linalg.norm(mean) + 1e-8)
        row[width // 2 :] = stacked.max(axis=0)
    return row


_CAPS_FEATURE = hash_string("__shouted__")


def clause_feature_keys(doc: Doc, ngram_size: int) -> numpy.ndarray:
    """The distinct hashed features of a sentence (see :func:`build_clause_bow`)."""
    words = doc.to_array(LOWER).astype("uint64")
    grams = [words] + [_ngrams(words, n) for n in range(2, ngram_size + 1) if len(words) >= n]
    extra = [hash_string(f"rule={code}") for code in sorted(rule_categories(doc))]
    if _is_shouted(doc.text):
        extra.append(_CAPS_FEATURE)
    grams.append(numpy.asarray(extra, dtype="uint64"))
    return numpy.unique(numpy.concatenate(grams))


def _ngrams(words: numpy.ndarray, n: int) -> numpy.ndarray:
    combined = words[: len(words) - n + 1].copy()
    for offset in range(1, n):
        combined = combined * numpy.uint64(1000003) ^ words[offset : len(words) - n + 1 + offset]
    return combined


_FEATURES = DocCache()
_SENTENCE_VECTORS = DocCache()


def forget_cached(nlp: Language) -> None:
    """Empty what the pipeline remembers of the sentences it has seen (benchmarks start cold)."""
    nlp.get_pipe(RULES_KEY)._cache.clear()
    _FEATURES.clear()
    _SENTENCE_VECTORS.clear()


def _clause_features_forward(model: Model, docs: list[Doc], is_train: bool):
    ngram_size = model.attrs["ngram_size"]
    # Each epoch of training sees the same sentences: their features are computed once.
    batch_keys = [
        _FEATURES.get(doc, lambda doc: clause_feature_keys(doc, ngram_size)) for doc in docs
    ]
    lengths = numpy.asarray([len(keys) for keys in batch_keys], dtype="int32")
    values = numpy.concatenate(
        [numpy.full(len(keys), 1.0 / max(len(keys), 1) ** 0.5, dtype="f") for keys in batch_keys]
    )
    keys = numpy.concatenate(batch_keys) if batch_keys else numpy.zeros(0, dtype="uint64")

    def backprop(d_output):
        return []

    ops = model.ops
    return (ops.asarray(keys), ops.asarray(values), ops.asarray(lengths)), backprop


def _is_shouted(text: str) -> bool:
    letters = [character for character in text if character.isalpha()]
    return len(letters) >= 20 and sum(character.isupper() for character in letters) > 0.6 * len(
        letters
    )


# --- the classifier component -------------------------------------------------------------------


class WeightedMultiLabelTextCategorizer(MultiLabel_TextCategorizer):
    """spaCy's ``textcat_multilabel`` with class-weighted loss: a positive example of a label
    counts ``(negatives / positives) ** class_balance`` times (at most ``max_weight``). Most
    sentences have no category, arbitration clauses are one sentence in three hundred: without
    weights the model learns to say "none" and recall collapses on the rare categories."""

    def __init__(self, *args, class_balance: float = 0.5, max_weight: float = 50.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.cfg["class_balance"] = class_balance
        self.cfg["max_weight"] = max_weight

    def initialize(self, get_examples, *, nlp=None, labels=None):
        # One pass over the training data finds the labels and counts them (spaCy's own
        # initialize would make a second pass of its own to find them).
        positives: dict[str, int] = {}
        labelled: dict[str, int] = {}
        for example in get_examples():
            for label, value in example.y.cats.items():
                labelled[label] = labelled.get(label, 0) + 1
                positives[label] = positives.get(label, 0) + (value >= 0.5)
        super().initialize(get_examples, nlp=nlp, labels=labels or list(labelled))
        positives = {label: positives.get(label, 0) for label in self.labels}
        labelled = {label: labelled.get(label, 0) for label in self.labels}
        self.cfg["positive_weights"] = [
            min(
                self.cfg["max_weight"],
                ((labelled[label] - positives[label]) / max(positives[label], 1))
                ** self.cfg["class_balance"],
            )
            if positives[label]
            else 1.0
            for label in self.labels
        ]

    def get_loss(self, examples: Iterable[Example], scores) -> tuple[float, Any]:
        truths, not_missing = self._examples_to_truth(examples)
        ops = self.model.ops
        truths = ops.asarray(truths)
        d_scores = (scores - truths) * ops.asarray(not_missing)
        weights = ops.asarray(self.cfg.get("positive_weights", [1.0] * len(self.labels)), dtype="f")
        d_scores *= 1.0 + truths * (weights - 1.0)
        return float((d_scores**2).mean()), d_scores


@Language.factory(
    "termwatch_textcat_multilabel",
    assigns=["doc.cats"],
    default_config={
        "threshold": 0.5,
        "class_balance": 0.5,
        "max_weight": 50.0,
        "model": {"@architectures": "termwatch.ClauseBOW.v2", "ngram_size": 2},
        "scorer": {"@scorers": "spacy.textcat_multilabel_scorer.v2"},
    },
    default_score_weights={"cats_macro_f": 1.0},
)
def make_weighted_textcat(
    nlp: Language,
    name: str,
    model: Model[list[Doc], Floats2d],
    threshold: float,
    class_balance: float,
    max_weight: float,
    scorer: Callable | None,
) -> WeightedMultiLabelTextCategorizer:
    return WeightedMultiLabelTextCategorizer(
        nlp.vocab,
        model,
        name,
        threshold=threshold,
        scorer=scorer,
        class_balance=class_balance,
        max_weight=max_weight,
    )

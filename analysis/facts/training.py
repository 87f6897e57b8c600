"""Training on your content: yes, no, unless you opt out, only if you opt in."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from termwatch.analysis.facts.engine import (
    CONFLICTING,
    FAVOURABLE,
    MIXED,
    UNFAVOURABLE,
    Answer,
    Clause,
    Document,
    Fact,
    Reading,
    Value,
)
from termwatch.analysis.facts.patterns import NOT_END_ZH, USER, USER_ZH, pattern

# Training models, not training staff: "personnel are properly trained" says nothing, nor do
# "training courses" or "training and on-boarding materials", nor "your Training Data" (the
# data the user fine-tunes a model of their own with).
# Developing or improving models, or machine-learning technologies, is training them: "to
# develop and improve our machine-learning and artificial-intelligence technologies";
# so are retraining and fine-tuning the provider's models ("to retrain or fine-tune our models").
_TRAINING = pattern(
    r"""\b(?<!your\s)(?:re)?train(?:s|ing)?\b
        (?!\s+(?:and\s+[\w-]+\s+)?
          (?:materials?|sessions?|courses?|programs?|programmes?|videos?|resources?|classes))
      | \b(?:re)?trained\s+(?:on|with|using)\b
      | \bfine[- ]?tun\w*\s+(?:and\s+\w+\s+)?(?:our|its|their|the)\s+(?:[\w-]+\s+){0,2}?models?\b
      # "to improve our models", "Improve the model for everyone" (not "our business model")
      | \b(?:improv|develop|enhanc|refin)\w*\s+(?:and\s+\w+\s+)?(?:our\s+|the\s+|its\s+|their\s+)?
        (?:[\w-]+\s+){0,3}?models\b
      | \b(?:improv|develop|enhanc|refin)\w*\s+(?:and\s+\w+\s+)?(?:our|the|its|their)\s+model\b
      | \b(?:improv|develop|enhanc)\w*\b [^.;]{0,40}?
        \b(?:machine[- ]learning|artificial[- ]intelligence|ai|ml)\b [^.;]{0,30}?
        \b(?:models?|technolog\w*|systems?|algorithms?)\b
      # "to improve our AI", "to improve and develop our machine learning", but not "our AI
      # features" or "AI-powered products", which may improve without any training
      | \b(?:improv|develop|enhanc|refin)\w*\s+(?:and\s+\w+\s+)?(?:our|its|their|the)\s+
        (?:ai|artificial[- ]intelligence|machine[- ]learning)\b
        (?![- ]?\s*(?:powered|based|enabled|driven|features?|products?|services?|tools?
          |assistants?|applications?|capabilit\w*|models?|technolog\w*|systems?|algorithms?))
      # Chinese terms: "进行进一步的开发训练" (for further development and training); the words
      # run together, so no word boundary
      | 训练"""
)
# Training people, which a clause on data security often mentions beside Customer Data:
# "personnel complete annual security training", "You are responsible for training your
# Authorized Users". Read as if it were not there.
_TRAINING_PEOPLE = pattern(
    r"""\b(?:security|awareness|compliance|privacy|employee|staff|personnel|annual|initial|hipaa
           |on-?boarding)\s+training\b
      | \btrain(?:s|ed|ing)?\s+(?:its\s+|our\s+|your\s+|their\s+)?
        (?:authori[sz]ed\s+users|staff|personnel|employees|teams?)\b
      | \btraining\s+(?:of|for)\s+(?:its\s+|our\s+|your\s+|their\s+)?
        (?:staff|personnel|employees|teams?|authori[sz]ed\s+users)\b"""
)
# Training a model for the user alone is a service to them, not training on their content:
# "other than fine-tuning Cody for your proprietary use", "to train Customer Derivative Models".
_FOR_YOUR_OWN_MODEL = pattern(
    rf"""(?:\b(?:other\s+than|except(?:\s+for)?|apart\s+from)\s+)?
        \b(?:fine[- ]?tun\w*|train\w*|customi[sz]\w*)\b [^.;,]{{0,60}}?
        (?:\bfor\s+your\s+(?:own\s+|proprietary\s+|exclusive\s+|internal\s+)?(?:use|benefit)\b
          | \b(?:your|customer(?:'s|’s)?)\s+(?:own\s+)?
            (?:derivative|custom(?:i[sz]ed)?|fine[- ]tuned|private)\s+models?\b)
        [^.;,]*
      # The user trains, or the provider trains the user's model for them: "Customer may use
      # the Services to fine-tune models", "we will train a model on your data for you", "to
      # fine-tune your model", "training jobs you request", "data used to train your models"
      | \b{USER}\s+(?:(?:may|can|will)\s+)?(?:(?:use|access)\s+[^.;,]{{0,40}}?\s+to\s+)?
        (?:re)?(?:train|fine[- ]?tune|customi[sz]e)\b [^.;,]*
      | \b(?:train|fine[- ]?tun)\w* [^.;,]{{0,60}}? \bfor\s+(?:you|customer)\b(?!r) [^.;,]*
      | \b(?:train|fine[- ]?tun)\w*\s+(?:\w+\s+){{0,3}}?(?:your|customer(?:'s|’s)?)\s+(?:own\s+)?
        models?\b [^.;,]*
      | \btraining\s+(?:jobs?|runs?)\s+(?:that\s+)?{USER}\s+(?:\w+\s+)?
        (?:request|run|submit|start|create|launch)\w* [^.;,]*"""
)
# The user's content: "your data", "Customer Data", or a noun that in these terms always
# means what the user submits or receives ("Content", "Inputs", "Suggestions"); what the
# user sends ("data you submit to the Services") or the service collects from its use ("the
# data collected by Acme Copilot"), public data excepted; "API data", "business data".
_USER_CONTENT = pattern(
    rf"""\b(?:your|{USER}(?:'s|’s|s'|s’)?)\s+(?:\w+\s+){{0,2}}?
         (?:content|data|code|inputs?|prompts?|materials?|conversations?|chats?|outputs?
           |suggestions?|files?|repositor(?:y|ies)|information|feedback
           |interactions?|messages?|quer(?:y|ies)|questions?|submissions?|uploads?)\b
       | \b(?:content|inputs?|outputs?|materials|prompts?|suggestions|conversations|chats
           |feedback)\b
       | \b(?:api|business|enterprise|workspace)\s+(?:data|content|inputs?|traffic)\b
       | \b(?:data|information|code|files)\s+(?:that\s+)?{USER}\s+
         (?:submit|provide|upload|input|send|share|enter)s?\b
       | (?<!public\s)(?<!publicly\s)\b(?:data|information)\s+(?:that\s+)?(?:is\s+|are\s+)?
         collected\s+(?:by|through|via)\s+(?!third)
       # Chinese: "您输入 Kimi 的内容" (the content you input), "用户的数据" (the user's data)
       | {USER_ZH}{NOT_END_ZH}{{0,20}}?(?:输入|输出|内容|数据|信息|对话)"""
)
# "You may not use Output to develop models that compete with us": a rule for the user.
_USER_RESTRICTION = pattern(
    rf"""\b{USER}\s+(?:(?:may|must|shall|will|can)\s+not|won't|cannot|agrees?\s+not\s+to
         |(?:may|must|shall|will)\s+not\s+and\s+must\s+not)\b
       | \bwithout\s+(?:\w+\s+){{0,2}}(?:authori[sz]ation|permission|consent)\s+from
       | \bin\s+violation\s+of
       | \bcompet\w*                    # "... models that compete with us"
       | \bautomated\s+means\b | \bscrap\w*  # rules for scrapers, not for your content
       # Chinese: "您不得利用 ... 训练" (you may not use ... to train), "竞争" (compete)
       | {USER_ZH}(?:不得|不应|不能|不可|禁止) | 竞争"""
)
# A section listing what the user must not do ("Don't abuse our services", "Restrictions"):
# "using AI-generated content from our services to develop machine learning models" in it is
# a rule for the user, whose lead-in is the heading.
_PROHIBITIONS = pattern(
    r"""\b(?:don[’']?t|do\s+not|must\s+not|may\s+not|cannot|can[’']?t|not\s+allowed)\b
      | \bprohibit\w* | \brestrict\w* | \babuse\b | \bmisuse\b | \bacceptable\s+use\b"""
)
# "If you choose to enable zero retention, we will not train": the user acts to stop it.
# "If you turn off chat history, your conversations will not be used to train": with a
# "not", the user acts to stop training (opt-out); without, to allow it (opt-in).
_IF_YOU_ACT = pattern(
    r"""\b(?:if|when|where)\s+you\s+(?:have\s+)?
        (?:allow|agree|consent|choose|enable|instruct|permit
          |turn(?:ed)?\s+off|switch(?:ed)?\s+off|toggled?\s+off|disabl\w*|deactivat\w*)"""
)
_OPT_IN = pattern(
    r"""\bopt(?:s|ed|ing)?[- ]?in\b
      | \bunless\s+(?:you|customer)(?:\s+have|\s+has|’ve|'ve)?\s+(?:\w+ly\s+)?
        (?:instruct|consent|agree|allow|choose|enable|permit|opt|activat|grant
          |turn(?:ed)?\s+on|switch(?:ed)?\s+on|toggled?\s+on)
      | \bwith\s+your\s+(?:prior\s+|explicit\s+|express\s+)?(?:consent|permission)"""
)
_OPT_OUT = pattern(
    r"""\bopt(?:s|ed|ing)?[- ]?out\b
      # "unless you turn off the setting", "unless you have disabled Improve the model"
      | \bunless\s+you\s+(?:have\s+)?
        (?:turn(?:ed)?\s+off|switch(?:ed)?\s+off|toggled?\s+off|disabl\w*|deactivat\w*|object\w*
          |withdr[ae]w\w*|chang\w*\s+your\s+(?:\w+\s+)?(?:settings|preferences))
      | \binstruct\s+(?:us|[A-Z]\w*)\s+not\s+to\s+use\b
      # "To stop us from using your data to train our models, go to Settings"
      | \b(?:stop|prevent)\s+(?:us|[A-Z]\w*)\s+from\s+using\b
      # "If you do not want us to use your Content", "if you don't wish for us to train on",
      # "if you would prefer that we not use your chats"
      | \b(?:do\s+not|don[’']t)\s+(?:want|wish)\s+(?:us\s+to\s+use\s+)?your\b
      | \b(?:do\s+not|don[’']t)\s+(?:want|wish)\s+(?:for\s+)?(?:us|[A-Z]\w*)\s+to\s+(?:use|train)\b
      | \bprefer\s+(?:that\s+)?(?:we|[A-Z]\w*)\s+(?:do\s+)?not\s+(?:use|train)\b
      # "You may ask us not to use your Content", "request that we not train on it", "unless
      # you tell us otherwise"
      | \b(?:ask|request)\s+(?:that\s+)?(?:us|we)\s+(?:do\s+)?not\s+(?:to\s+)?(?:use|train)\b
      | \bunless\s+you\s+(?:\w+\s+)?(?:tell|ask|request|notify|inform|instruct)\w*\s+(?:us\s+)?
        otherwise\b"""
)
# Opting out of other things than training: arbitration, marketing e-mails.
_NOT_OF_OTHER_THINGS = r"""(?!\s+of\s+(?:\w+\s+)?
    (?:arbitration|class|marketing|promotional|e-?mails?|communications|newsletters|cookies|the\s+sale))"""
# "You can turn this off in Settings" after a clause on training: "this" is that training.
# "You can opt out at any time", "You may withdraw your consent", "You can change your data
# settings at any time": so can a way out named without "this", opting out of other things
# (arbitration, marketing e-mails) aside.
_STOP_THAT = pattern(
    rf"""\b(?:turn|switch|toggle)\s+(?:this|that|it)\s+off\b
      | \b(?:turn\s+off|switch\s+off|toggle\s+off|disable|object\s+to|opt\s+out\s+of|stop|change
          |manage|control)\s+(?:this|that|it|such\s+(?:use|processing))\b
      # "you may opt out at any time", "To opt out, email us", "If you wish to opt out, ..."
      | (?:\byou\s+(?:can|may)\s+(?:\w+\s+){{0,3}}?
          | \b(?:to|if\s+you\s+(?:wish|want|would\s+like|prefer)\s+to)\s+)opt[- ]?out\b
        {_NOT_OF_OTHER_THINGS}
      | \bwithdraw\s+(?:your\s+)?consent\b
      | \byou\s+(?:can|may)\s+(?:\w+\s+){{0,3}}?(?:change|update|adjust)\s+
        (?:your|these|this|that)\s+(?:[\w-]+\s+)?(?:settings?|preferences|choices?|data\s+controls)\b"""
)
# "You can turn off the use of your chats for training", "you may choose not to let us", "you
# may exclude your Content from training", "Users can disable this": the user can stop what
# happens by default.
_YOU_CAN_STOP = pattern(
    rf"""\b{USER}\s+(?:can|may|are\s+able\s+to|(?:have|has)\s+the\s+(?:option|right|ability)\s+to)\s+
         (?:(?:always|also|at\s+any\s+time)\s+)?
         (?:turn\s+off|switch\s+off|toggle\s+off|disable|deactivate|object|decline|withdraw|exclude
           |(?:choose|elect|decide)\s+(?:not\s+to|to\s+not))\b"""
)
_NOT_TRAINED = pattern(
    r"""\b(?:do|does|will|shall|would|may)\s+not\s+(?:\w+\s+){0,2}?(?:use|train|collect)\b
      | \b(?:never|don't|doesn't|won't)\s+(?:\w+\s+)?(?:use|train)\b
      | \bnot\s+(?:be\s+)?used\s+(?:\w+\s+){0,3}?(?:to|for)\b
      # Chinese: "不会使用" (will not use), "不用于训练" (not used for training)
      | 不(?:会|将)?(?:使用|利用|用于|训练)"""
)
# "You can select whether your Content is used for training": a choice, default unsaid.
_CHOICE = pattern(
    r"""\b(?:elect|select|choose|decide|control)\w*\s+whether | \bmanage\s+your\s+preferences"""
)


def _offers_a_choice(document: Document) -> bool:
    """Does a clause of ``document`` let the user choose whether their content trains models?
    Beside "We use your chats to train our models", that choice is the way out (opt-out);
    beside "We do not train on your chats", the way in (opt-in)."""
    return any(
        _CHOICE.search(clause.plain)
        and _TRAINING.search(clause.plain)
        and not _USER_RESTRICTION.search(clause.plain)
        for clause in document.clauses
    )


# "You can opt out of model training in your settings": only the user's content can be at
# stake in a choice the user makes, even when the clause does not name it.
_A_CHOICE_ON_TRAINING = pattern(
    r"\bopt(?:s|ed|ing)?[- ]?(?:out|in)\s+(?:of|to|for)\s+(?:\w+\s+){0,2}?training\b"
)
# "You may instruct us not to use your Content for service improvement (opt-out)".
_IMPROVEMENT = pattern(r"\bimprov\w*")
# "We will not use Customer Content to develop or improve the Services": not even to improve
# them, so not to train models either.
_NOT_EVEN_TO_IMPROVE = pattern(
    r"""\b(?:do|does|will|shall)\s+not\s+(?:\w+\s+){0,3}?use\b [^.;]{0,80}?
        \b(?:to|for)\s+(?:develop\w*\s+(?:or|and)\s+)?improv\w*\s+(?:the|our|its)\s+
        (?:services?|products?)\b"""
)
# Training on what no longer is the user's content: "we may use your Content in aggregated
# form", "information derived from your content, once de-identified", "we may de-identify
# your data and use it to improve our models". And the terms only pointing to another
# document: "Our Privacy Policy explains how we use your information, including to train".
_NOT_THE_CONTENT_ITSELF = pattern(
    r"""\b(?:de-?identif|anonymi[sz]|pseudonymi[sz]|aggregat)\w*
        (?:,?\s+(?:and\s+|or\s+)?(?:de-?identif|anonymi[sz]|pseudonymi[sz]|aggregat)\w*)*\s+
        (?:form|format|manner|basis|data|information|content|version)s?\b
      | \b(?:once|after)\s+(?:it\s+(?:is|has\s+been)\s+|they\s+(?:are|have\s+been)\s+|being\s+)?
        (?:de-?identif|anonymi[sz]|pseudonymi[sz]|aggregat)\w*
      | \b(?:de-?identify|anonymi[sz]e|pseudonymi[sz]e|aggregate)\s+(?:and\s+\w+\s+)?
        (?:your|the|such|customer|it|them)\b
      | \b(?:explains?|describes?|sets?\s+out|details?)\s+how\s+(?:we|[A-Z]\w*)\s+
        (?:\w+\s+){0,2}?(?:use|collect|process)"""
)
# "By default, your conversations are used to train our models" is a setting the user can
# change (opt-out); "by default we do not train on your data" one they can turn on (opt-in).
_BY_DEFAULT = pattern(r"\bby\s+default\b")
# "If you provide Feedback, we will use it and the related Output to train our models": only
# what the user chooses to send, so opt-in; the least general rule, read after any other.
_IF_YOU_SEND_FEEDBACK = pattern(
    rf"""\bif\s+{USER}\s+(?:\w+\s+){{0,2}}?(?:provide|give|send|submit|share|rate)s?\b
         [^.;]{{0,60}}? \bfeedback"""
)
FEEDBACK_RANK = 4  # after yes (3): feedback alone says nothing of the rest of the content
# "We may use your feedback to improve our models": feedback is the only content named, and
# the user sends it or not, so it trains as the if-clause above does.
_FEEDBACK = pattern(r"\b(?:your\s+|customer(?:'s|’s)?\s+|such\s+)?feedback\b")
_USES = pattern(
    r"\b(?:use[sd]?|using|collect\w*|analy[sz]\w*|licen[sc]e|grant\w*|leverag\w*)\b | 使用|利用"
)
# Most specific first: a clause naming the user's choice says more than a bare yes or no,
# and an explicit "we do not train" more than licence grants mentioning training in passing.
_TRAINING_RANKS = {"opt-out": 0, "opt-in": 1, "no": 2, "yes": 3}
# "If you are using the Services without a paid subscription, we use Your Data to train our
# models" beside "Paid Services: we do not": each is the rule for its plan, neither the
# general one, so the two stand side by side (conflicting) rather than one hiding the other.
_ONE_PLAN = pattern(
    r"""\b(?:un)?paid\s+(?:services?|plans?|subscriptions?|tiers?|accounts?|users?|customers?)\b
      | \bfree\s+(?:services?|plans?|tiers?|versions?|accounts?|users?|subscriptions?)\b
      | \bwithout\s+a\s+paid\b | \bpromotional\s+credits\b"""
)


# "We will not train our models on your Materials, except in two circumstances:" followed by
# "(1) If you provide Feedback ...": no training unless you act, which is opt-in.
_EXCEPT_LIST = pattern(r"\b(?:except|unless|other\s+than)\b[^.;]*:\s*$")
_YOU_OFFER = pattern(
    r"""\bif\s+you\s+(?:\w+\s+){0,2}?(?:provide|give|send|submit|share|rate)\b
        [^.;]{0,60}? \bfeedback
      | \bfeedback\b [^.;]{0,40}? \byou\s+(?:provide|give|send|submit|share)
      | \bopt(?:s|ed|ing)?[- ]?in\b | \byour\s+(?:explicit\s+|express\s+|prior\s+)?consent\b
      | \bif\s+you\s+(?:\w+\s+)?(?:allow|agree|consent|choose|permit)\b"""
)
LIST_ITEMS = 3  # how far an "except:" list is read


def _excepts_what_you_offer(text: str, clause: Clause, document: Document) -> bool:
    """Does "we do not train" (``text``, the words of ``clause`` read) make an exception for
    what the user chooses to give?"""
    if _YOU_OFFER.search(text) and re.search(r"\b(?:except|unless)\b", text, re.I):
        return True
    if not _EXCEPT_LIST.search(text):
        return False
    return any(_YOU_OFFER.search(item.plain) for item in document.following(clause, LIST_ITEMS))


LIST_LENGTH = 12  # how far back the lead-in of a list item is looked for


def _lead_in(clause: Clause, document: Document) -> Clause | None:
    """The clause introducing the list ``clause`` is an item of ("You may not:"), if any: the
    nearest one before it ending with a colon, with only list items in between."""
    for before in reversed(document.preceding(clause, LIST_LENGTH)):
        text = before.plain.rstrip()
        if text.endswith(":"):
            return before
        if text.endswith(".") and text[:1].isupper():
            return None  # a sentence of its own: the list, if any, ended there
    return None


# "Acme may use Customer Data for the following purposes:" introducing "Training machine
# learning models;": the item says what for, its lead-in what is used.
_USES_FOR_THE_FOLLOWING = pattern(r"\b(?:use[sd]?|using|process\w*|licen[sc]e)\b [^.;]* :\s*$")
# "We will not use PII contained within Customer Data for such training", "we do not use
# raw or identifiable PII for AI training": personal information kept out of a training that
# happens says nothing of the rest of the content (a data processing agreement's "we do not
# use the Personal Data to train", about all it covers, is a no).
_PERSONAL_DATA = r"(?:pii|personal(?:ly)?\s+(?:identifiable\s+)?(?:data|information))\b"
_NOT_PERSONAL_DATA = pattern(
    rf"""\b(?:not|never)\s+(?:\w+\s+){{0,3}}?(?:use|train\s+on|include)\s+(?:any\s+|the\s+)?
         (?:{_PERSONAL_DATA}\s+(?:contained|included|found)\s+(?:in|within)\b
           | (?:raw\s+(?:or\s+)?)?(?:directly\s+)?identifiable\s+{_PERSONAL_DATA})"""
)
# "Business Plan users may opt out of training", "Enterprise customers can opt out": a way out
# for one plan's users; the rule for everyone else, if stated, comes before it.
_PLAN_USERS_MAY = pattern(
    r"""\b(?:business|enterprise|team|teams|pro|plus|premium|paid|free|education|organi[sz]ation)
        \s+(?:plan\s+|tier\s+|subscription\s+|edition\s+)?(?:users|customers|subscribers|accounts
          |members)\s+(?:may|can|are\s+able\s+to)\b"""
)
PLAN_RANK = 4  # after yes (3): a way out for some plans says nothing of the others
# "The opt-out right described in this section ... does not apply to the license granted in
# Section D.4": the licence the way out leaves aside trains on the content as surely as the
# way out stops the rest, so the two stand side by side (conflicting).
_OPT_OUT_LEAVES_A_LICENCE = pattern(
    rf"""\bopt[- ]?out\b{_NOT_OF_OTHER_THINGS} [^.;]{{0,120}}?
         \b(?:does|shall|will)\s+not\s+(?:apply|extend)\s+to\s+(?:the\s+|any\s+)?licen[cs]es?\b"""
)


def _a_licence_left_aside(document: Document) -> bool:
    return document.first(_OPT_OUT_LEAVES_A_LICENCE) is not None


def _with_what_it_uses(text: str, clause: Clause, document: Document) -> str:
    """``text`` (the words of ``clause``, a list item naming training but no content) after
    its lead-in, when the lead-in says what is used for the items: "Acme may use Customer
    Data for the purposes of:" and "Training and tuning AI models;" say one thing."""
    lead_in = _lead_in(clause, document)
    if lead_in is None or not _USES_FOR_THE_FOLLOWING.search(lead_in.plain):
        return text
    return f"{lead_in.plain} {text}"


# "We do not train our own models", "Acme does not train any AI models": no training at all,
# so none on the user's content either (not "you may not train any models").
_TRAINS_NO_MODELS = pattern(
    r"""(?<!you\s)(?<!users\s)(?<!customer\s)(?<!customers\s)\b(?:do|does)\s*(?:not|n['’]t)\s+(?:currently\s+)?
        train\s+(?:our\s+own|its\s+own|any)\s+(?:[\w-]+\s+){0,2}?models\b
        (?!\s+(?:on|with|using)\b)"""
)


# "We may train our models on your Content", "Acme trains its models with your prompts": the
# training, then what it is done on.
# (active: "models trained on your data" may be the user's own).
_TRAINED_ON = pattern(
    r"\b(?:re)?trains?\b [^.;]{0,40}? \b(?:on|with|using)\s+(?:all\s+|any\s+|the\s+|such\s+)?"
)


def _trained_on(text: str) -> bool:
    return any(
        (content := _USER_CONTENT.search(text, on.end(), on.end() + 40))
        and content.start() == on.end()
        for on in _TRAINED_ON.finditer(text)
    )


# Questions and answers: "Will my queries be used to train any model?" answered "No." just
# after it, or under it as a heading ("No, we never ..."); not "Do you train your models on
# public data?", which asks of no content of the user's.
_ASKS_IF_TRAINED = pattern(
    r"""^[\W\d]*(?:will|would|is|are|does|do|can)\b
        (?=[^?]*\b(?:my|our|your)\s+(?:[\w'’-]+\s+){0,2}?(?:content|data|code|prompts?|quer(?:y|ies)
          |inputs?|outputs?|conversations?|chats?|files?|information|questions?|messages?)\b)
        (?=[^?]*\btrain)[^?]*\?\W*$"""
)
_ANSWERS_NO = pattern(r"^\W*no\b")


def _answered_no(clause: Clause, document: Document) -> bool:
    """Is ``clause`` a question whether the user's content trains models, answered no?"""
    if _ASKS_IF_TRAINED.search(clause.plain):
        return any(_ANSWERS_NO.search(after.plain) for after in document.following(clause, 1))
    heading = clause.section_path.rpartition(" > ")[2]
    return bool(_ANSWERS_NO.search(clause.plain) and _ASKS_IF_TRAINED.search(heading))


def _read_training(clause: Clause, document: Document) -> Reading | None:
    if _TRAINS_NO_MODELS.search(clause.plain) or _answered_no(clause, document):
        return Reading("no", rank=_TRAINING_RANKS["no"])
    text = _TRAINING_PEOPLE.sub(" ", _FOR_YOUR_OWN_MODEL.sub(" ", clause.plain))
    if _TRAINING.search(text) and not _USER_CONTENT.search(text):
        text = _with_what_it_uses(text, clause, document)
    training = [match.start() for match in _TRAINING.finditer(text)]
    # "unless you opt in to allow us to use Customer Data to improve the Service": a choice
    # about improving the service with your data is one about training on it.
    chosen = _OPT_OUT.search(text) or _OPT_IN.search(text)
    about_training = (
        bool(training)
        or bool(chosen and _IMPROVEMENT.search(text))
        or bool(_NOT_EVEN_TO_IMPROVE.search(text))
    )
    if not (about_training and (_USER_CONTENT.search(text) or _A_CHOICE_ON_TRAINING.search(text))):
        return None
    if _USER_RESTRICTION.search(text) or _CHOICE.search(text):
        return None
    if _PROHIBITIONS.search(clause.section_path.rpartition(" > ")[2]):
        return None
    lead_in = _lead_in(clause, document)
    if lead_in is not None and _USER_RESTRICTION.search(lead_in.plain):
        return None  # an item of "You may not:"
    if _OPT_OUT.search(text) and _PLAN_USERS_MAY.search(text):
        return Reading("opt-out", rank=PLAN_RANK)
    if _OPT_OUT.search(text):
        value = "opt-out"
    elif _OPT_IN.search(text):
        value = "opt-in"
    elif _IF_YOU_SEND_FEEDBACK.search(text) and not _NOT_TRAINED.search(text):
        return Reading("opt-in", rank=FEEDBACK_RANK)
    elif _IF_YOU_ACT.search(text):
        value = "opt-out" if _NOT_TRAINED.search(text) else "opt-in"
    elif _YOU_CAN_STOP.search(text):
        value = "opt-out"
    elif _NOT_TRAINED.search(text):
        if _NOT_PERSONAL_DATA.search(text):
            return None
        # "By default, we do not train on your chats": unless the user changes the default.
        offered = _excepts_what_you_offer(text, clause, document) or _BY_DEFAULT.search(text)
        if not offered and document.derived(_offers_a_choice):
            return Reading("opt-in", rank=_TRAINING_RANKS["no"])  # the way in is elsewhere
        value = "opt-in" if offered else "no"
    elif training and (
        any(use.start() < max(training) for use in _USES.finditer(text)) or _trained_on(text)
    ):
        if _NOT_THE_CONTENT_ITSELF.search(text):
            return None
        # A use of the content, then what it is used for; "You can turn this off" just
        # after makes it a default the user can stop (a next clause naming training is read
        # on its own, and quoted).
        # So does "; you can turn this off in Settings" after the training, in the clause.
        stop = [after.plain for after in document.following(clause, 1)]
        stoppable = stop and _STOP_THAT.search(stop[0]) and not _TRAINING.search(stop[0])
        stoppable = stoppable or _STOP_THAT.search(text, max(training)) or _BY_DEFAULT.search(text)
        if not stoppable and document.derived(_offers_a_choice):
            return Reading("opt-out", rank=_TRAINING_RANKS["yes"])  # the way out is elsewhere
        value = "opt-out" if stoppable else "yes"
    else:
        return None  # "we publish how our models are trained": says nothing about yours
    if value == "yes" and not _USER_CONTENT.search(_FEEDBACK.sub(" ", text)):
        return Reading("opt-in", rank=FEEDBACK_RANK)
    if value == "yes" and document.derived(_a_licence_left_aside):
        return Reading(value, rank=_TRAINING_RANKS["opt-out"])  # as firm as the way out
    return Reading(value, rank=_TRAINING_RANKS[value])


def _for_one_plan(clause: Clause | None) -> bool:
    return clause is not None and bool(
        _ONE_PLAN.search(clause.plain) or _ONE_PLAN.search(clause.section_path)
    )


def _plans_apart(answer: Answer, readings: Sequence[Answer]) -> Answer:
    """A bare yes or no that holds for one plan only, with the opposite for another plan, is
    ``conflicting``; a choice the user has (opt-out, opt-in) is left as read."""
    if answer.value not in ("yes", "no"):
        return answer
    by_value: dict[str, Answer] = {}
    for reading in readings:
        if reading.value in ("yes", "no") and _for_one_plan(reading.evidence):
            by_value.setdefault(reading.value, reading)
    if len(by_value) < 2:
        return answer
    return Answer(CONFLICTING, by_value["no"].evidence, conflicts=(by_value["no"], by_value["yes"]))


def _settled(answer: Answer, readings: Sequence[Answer]) -> Answer:
    """Plans apart (above); and "We do not use your Prompts to train our models" beside "You
    grant us the right to use your Feedback for training" is no training unless the user
    sends feedback: opt-in, quoting the feedback (an opt-in reading ranked after a "no" is
    feedback's, or a "no" whose way in is a choice elsewhere; any other outranks it)."""
    answer = _plans_apart(answer, readings)
    if answer.value != "no":
        return answer
    feedback = next((reading for reading in readings if reading.value == "opt-in"), None)
    return Answer("opt-in", feedback.evidence) if feedback else answer


# "Google will not access, use, or process Customer Data for any other purpose", "we use your
# content only to provide the Services", "will only access or use Customer Data to provide the
# Services": a promise that leaves no room for training.
_ONLY_TO_SERVE = pattern(
    r"""\b(?:will|shall|do|does)\s+not\s+(?:\w+,?\s+){0,4}?(?:use|process)\w*\b [^.;]{0,40}?
        \b(?:your|customer)\s+(?:data|content|inputs?|prompts?|code)\b [^.;]{0,40}?
        \bfor\s+any\s+other\s+purpose
      | \b(?:use|process)\w*\s+(?:your|customer)\s+(?:data|content|inputs?|prompts?|code)\s+
        (?:solely|only)\s+(?:to|for)\s+(?:the\s+)?(?:provide|provision|perform)\w*
      # "Google will only access or use Customer Data to provide the Services", "Your Content
      # will be used only to provide the Services": the provider's promise, not "You may only
      # use Customer Data to provide your services"
      | (?<!you\s)(?<!may\s)(?<!must\s)(?<!can\s)(?<!should\s)(?<!you\swill\s)(?<!you\sshall\s)
        \b(?:solely|only)\s+(?:\w+\s+(?:or|and)\s+)?(?:use|process)\w*\s+
        (?:your|customer)\s+(?:data|content|inputs?|prompts?|code)\s+(?:to|for)\s+(?:the\s+)?
        (?:provide|provision|perform)\w*
      | \b(?:your|customer)\s+(?:data|content|inputs?|prompts?|code)\s+(?:will|shall|is|are)\s+
        (?:be\s+)?(?:used|processed)\s+(?:solely|only)\s+(?:to|for)\s+(?:the\s+)?
        (?:provide|provision|perform)\w*"""
)


def _used_only_to_serve_you(document: Document, answers: Mapping[str, Answer]) -> Answer | None:
    """No clause speaks of training, but one confines the use of the content to the service."""
    clause = document.first(
        _ONLY_TO_SERVE,
        where=lambda clause: (
            not (_TRAINING.search(clause.plain) or _IMPROVEMENT.search(clause.plain))
        ),
    )
    if clause is None:
        return None
    return Answer(
        "no", clause, reason="Your content is used only to provide the service: no training."
    )


TRAINS_ON_USER_CONTENT = Fact(
    "trains_on_user_content",
    "Whether the provider trains its models on your prompts, code or output, and "
    "whether you must opt out or opt in.",
    "whether it trains on your content",
    frozenset({"training", "input_license"}),
    pattern(r"train|your\s+data|content|\bai\b|machine\s+learning|models"),
    _read_training,
    settle=_settled,
    infer=_used_only_to_serve_you,
    # The reader wants training, the user's content and a use of it: strict enough alone, so a
    # clause the classifier missed in a section named otherwise ("Privacy", "Feedback") is
    # still read. Read everywhere, the train split and 1,262 unkeyed train-side versions give
    # the same answers (once "training and on-boarding materials" were told from training).
    anywhere=True,
    choices=(
        Value("no", "No", FAVOURABLE, "says it does not train on your content"),
        Value(
            "opt-in", "Only if you opt in", FAVOURABLE, "trains on your content only if you opt in"
        ),
        Value(
            "opt-out", "Yes, unless you opt out", MIXED, "trains on your content unless you opt out"
        ),
        Value("yes", "Yes", UNFAVOURABLE, "trains on your content"),
    ),
)

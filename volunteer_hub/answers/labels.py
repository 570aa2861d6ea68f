"""The answers' words: for the family (family domain, its language) and for staff (interface)."""

from __future__ import annotations

from flask_babel import gettext as _

from volunteer_hub import vocab
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer, HelpTopic
from volunteer_hub.answers.services import Choice
from volunteer_hub.core.languages import _f


def family_choice_label(choice: Choice) -> str:
    """The choice as the family reads it (call inside ``family_language``)."""
    if choice.topic is not None:
        return family_topic_label(choice.topic)
    return {
        AnswerKind.MET: _f("We have met"),
        AnswerKind.NO_CONTACT: _f("Nobody has contacted us yet"),
        AnswerKind.ANOTHER_VOLUNTEER: _f("We would like another volunteer"),
        AnswerKind.HELP: _f("We need help with …"),
        AnswerKind.INTERPRETER: _f("Call me, I need an interpreter"),
    }[choice.kind]


def family_topic_label(topic: HelpTopic) -> str:
    return {
        HelpTopic.HOUSING: _f("Housing"),
        HelpTopic.WORK: _f("Work"),
        HelpTopic.DANISH_CLASSES: _f("Danish classes"),
        HelpTopic.SCHOOL_DAYCARE: _f("School and daycare"),
        HelpTopic.LEISURE: _f("Leisure"),
        HelpTopic.HEALTH_APPOINTMENT: _f("Health appointment"),
        HelpTopic.OTHER: _f("Something else"),
    }[topic]


def staff_topic_label(topic: HelpTopic) -> str:
    return {
        HelpTopic.HOUSING: _("Housing"),
        HelpTopic.WORK: _("Work"),
        HelpTopic.DANISH_CLASSES: _("Danish classes"),
        HelpTopic.SCHOOL_DAYCARE: _("School and daycare"),
        HelpTopic.LEISURE: _("Leisure"),
        HelpTopic.HEALTH_APPOINTMENT: _("Health appointment"),
        HelpTopic.OTHER: _("Something else"),
    }[topic]


def staff_answer_label(answer: FamilyAnswer) -> str:
    """The answer in the staff interface's language, e.g. "Asks for help: Housing"."""
    if answer.kind == AnswerKind.HELP and answer.topic is not None:
        return _("Asks for help: %(topic)s", topic=staff_topic_label(answer.topic))
    if answer.kind == AnswerKind.INTERPRETER:
        return _(
            "Asks to be called with an interpreter in %(language)s",
            language=vocab.in_sentence(vocab.LANGUAGES, answer.interpreter_language or ""),
        )
    return {
        AnswerKind.MET: _("The family has met the volunteer"),
        AnswerKind.NO_CONTACT: _("Nobody has contacted the family yet"),
        AnswerKind.ANOTHER_VOLUNTEER: _("Would like another volunteer"),
    }[answer.kind]

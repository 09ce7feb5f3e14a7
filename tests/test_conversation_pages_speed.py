"""The new-conversation form and the lead's language list made cheaper without changing a
byte (issue 11): the form's fields and the list's rows are written in Python
(`ConversationForm.fields_html`, `views.conversations.phrase_rows`), and their reads are
queries the ORM writes once (`selectors.conversations`). Each page is compared with what its
template wrote before, kept below, given what the view gave it before."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.template import engines, loader
from django.utils import timezone

from alongside.coaching import language
from alongside.coaching.models import Goal, LanguagePromptEvent, LanguageWord, Relationship
from alongside.coaching.selectors import conversations as selectors
from alongside.coaching.services.conversations import conversation_create
from alongside.coaching.views import conversations as views

pytestmark = pytest.mark.django_db

# coaching/conversations/form.html as it was before its fields were written in Python.
FORM_BEFORE = """{% extends "base.html" %}
{% block title %}{% if conversation %}Change a conversation with {{ person.chosen_name }}{% elif note %}Send {{ person.chosen_name }} a note{% else %}Write up a conversation with {{ person.chosen_name }}{% endif %}{% endblock %}
{% block content %}
<p><a href="{% url 'coaching:person' person.pk %}">Back to {{ person.chosen_name }}</a></p>
{% if note %}
<h1>Send {{ person.chosen_name }} a note</h1>
<p class="lead">A few words to keep in touch. It goes into {{ person.chosen_name }}'s record with your conversations: there are no private notes, and {{ person.chosen_name }} can read it in their own space.</p>
{% else %}
<h1>{% if conversation %}Change a conversation{% else %}Write up a conversation{% endif %} with {{ person.chosen_name }}</h1>
<p class="lead">Write it together. There are no private notes: {{ person.chosen_name }} can always read this in their own space.</p>
{% endif %}

{% if theirs %}
<div class="error-summary" role="alert" aria-labelledby="conflict-title" tabindex="-1">
  <h2 id="conflict-title">Someone else changed this note while you were editing</h2>
  <p>Here is their version and yours. Nothing has been lost: their version is saved, and yours is still in the form below. Bring the two together, then save again to replace theirs.</p>
</div>
<section class="card">
  <h2>Their version (saved)</h2>
  <dl class="facts">
    <dt>When we met</dt><dd>{{ theirs.happened_on|date:"j F Y" }}</dd>
    <dt>Where we met</dt><dd>{{ theirs.place|default:"Not written" }}</dd>
    <dt>What we talked about</dt><dd>{{ theirs.notes|linebreaksbr|default:"Not written" }}</dd>
    <dt>{{ person.chosen_name }}'s reflection</dt><dd>{{ theirs.reflection|linebreaksbr|default:"Not written" }}</dd>
  </dl>
</section>
<h2>Your version (not saved yet)</h2>
{% endif %}

{% if prompt %}{% include "coaching/conversations/_prompt.html" %}{% endif %}

<form method="post" class="stack" novalidate>
  {% csrf_token %}
  {% include "form_errors.html" %}
  {{ form.version }}
  {% if note %}
  <input type="hidden" name="note" value="1">
  {{ form.happened_on.as_hidden }}{{ form.place.as_hidden }}
  {% with field=form.notes %}{% include "field.html" %}{% endwith %}
  {% else %}
  {% with field=form.happened_on %}{% include "field.html" %}{% endwith %}
  {% with field=form.place %}{% include "field.html" %}{% endwith %}
  {% with field=form.notes %}{% include "field.html" %}{% endwith %}
  {% with field=form.reflection %}{% include "field.html" %}{% endwith %}
  {% with boxes=form.goals.subwidgets %}{% if boxes %}
  <fieldset class="field">
    <legend>{{ form.goals.label }} (optional)</legend>
    {# Each box written here as Django's input.html and attrs.html write it: box.tag renders three templates a box. #}{% for box in boxes %}<div class="choice"><input type="{{ box.data.type }}" name="{{ box.data.name }}" value="{{ box.data.value|stringformat:'s' }}"{% for name, value in box.data.attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}="{{ value|stringformat:'s' }}"{% endif %}{% endif %}{% endfor %}> <label for="{{ box.id_for_label }}">{{ box.choice_label }}</label></div>{% endfor %}
  </fieldset>
  {% endif %}{% endwith %}
  {% if form.next_meeting_on %}
  {% with field=form.next_meeting_on %}{% include "field.html" %}{% endwith %}
  {% endif %}
  {% endif %}
  {% if prompt %}
  <input type="hidden" name="prompt_token" value="{{ prompt.token }}">
  <p><a class="button button-secondary" href="#{{ form.notes.id_for_label }}">Change my words</a></p>
  <p class="hint">When you have changed them, press “Save”.</p>
  <button type="submit" class="button" name="keep_words" value="1">Keep my words and save</button>
  <button type="submit" class="button button-secondary">Save</button>
  {% else %}
  <button type="submit" class="button">{% if note %}Save the note{% else %}Save{% endif %}</button>
  {% endif %}
</form>
{% endblock %}
"""  # noqa: E501

# coaching/language/words.html as it was before its rows were written in Python.
WORDS_BEFORE = """{% extends "base.html" %}
{% block title %}Words we gently question{% endblock %}
{% block content %}
<h1>Words we gently question</h1>
{% include "coaching/_organisation_chooser.html" %}
<p class="lead">When someone at {{ organisation.name }} writes one of these words in a note, Alongside offers a kinder alternative. They can always keep their words.</p>

<h2>How often the prompt came up</h2>
{% if counts %}
<div class="table-wrap">
<table>
  <caption>Prompts each month, by phrase (no names, no notes)</caption>
  <thead><tr><th scope="col">Month</th><th scope="col">Phrase</th><th scope="col" class="num">Times offered</th><th scope="col" class="num">Words kept</th></tr></thead>
  <tbody>
  {% for row in counts %}<tr><td>{{ row.month|date:"F Y" }}</td><td>{{ row.phrase }}</td><td class="num">{{ row.fired }}</td><td class="num">{{ row.kept }}</td></tr>{% endfor %}
  </tbody>
</table>
</div>
{% else %}
<p>The prompt hasn't come up yet.</p>
{% endif %}

<h2>The list</h2>
<div class="table-wrap">
<table>
  <caption>Words and what might be said instead</caption>
  <thead><tr><th scope="col">Words</th><th scope="col">What might be said instead</th><th scope="col">On or off</th></tr></thead>
  <tbody>
  {% for p in phrases %}
  <tr>
    <td>{{ p.phrase }}{% if not p.is_default %} <span class="muted">(ours)</span>{% endif %}</td>
    <td>{{ p.suggestion }}</td>
    <td>
      <form method="post" class="inline-form">
        {% csrf_token %}
        <input type="hidden" name="phrase" value="{{ p.phrase }}">
        {% if p.active %}<span class="status">On</span> <button type="submit" class="button button-secondary" name="switch" value="off">Switch off<span class="visually-hidden"> “{{ p.phrase }}”</span></button>
        {% else %}<span class="status">Off</span> <button type="submit" class="button button-secondary" name="switch" value="on">Switch on<span class="visually-hidden"> “{{ p.phrase }}”</span></button>{% endif %}
      </form>
    </td>
  </tr>
  {% endfor %}
  </tbody>
</table>
</div>

<h2>Add words to the list</h2>
<form method="post" class="stack" novalidate>
  {% csrf_token %}
  {% include "form_errors.html" %}
  {% with field=form.phrase %}{% include "field.html" %}{% endwith %}
  {% with field=form.suggestion %}{% include "field.html" %}{% endwith %}
  <button type="submit" class="button">Add to the list</button>
</form>
{% endblock %}
"""  # noqa: E501


def _prompt_counts_before(organisation: Any) -> list[dict[str, Any]]:
    """selectors.conversations.prompt_counts as it was, read by the ORM each time."""
    return [
        dict(row)
        for row in LanguagePromptEvent.objects.filter(organisation=organisation)
        .annotate(month=TruncMonth("on"))
        .values("month", "phrase")
        .annotate(fired=Count("id"), kept=Count("id", filter=Q(kept_words=True)))
        .order_by("-month", "-fired", "phrase")
    ]


def _unmasked(html: str) -> str:
    """A CSRF token is masked afresh each time one is asked for."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str, dict[str, Any]]]:
    """What each page the views answer was rendered from: (request, template, context)."""
    seen: list[tuple[Any, str, dict[str, Any]]] = []
    render = views.render

    def keeping(request: Any, template: str, context: dict[str, Any], **kwargs: Any) -> Any:
        seen.append((request, template, context))
        return render(request, template, context, **kwargs)

    monkeypatch.setattr(views, "render", keeping)
    return seen


def _form_both_ways(seen: tuple[Any, str, dict[str, Any]]) -> tuple[str, str]:
    request, template, context = seen
    assert template == "coaching/conversations/form.html"
    now = loader.get_template(template).render(context, request)
    then = engines["django"].from_string(FORM_BEFORE).render(context, request)
    return _unmasked(now), _unmasked(then)


@pytest.fixture
def goals(world: dict[str, Any]) -> list[Goal]:
    sam = world["sam"]
    made = [
        Goal.objects.create(person=sam, words=words)
        for words in ("Find a home", '<b>Tom & Jerry\'s</b> "quotes"', "See my sister")
    ]
    Goal.objects.create(person=sam, words="Not now", status=Goal.Status.CHANGED_MY_MIND)
    Goal.objects.create(person=world["alex"], words="Someone else's")
    return made


def _add(person: Any) -> str:
    return f"/people/{person.pk}/conversations/add/"


def test_the_form_writes_what_it_wrote_before(world, goals, login, rendered):
    sam, coach = world["sam"], world["coach"]
    Relationship.objects.filter(person=sam, coach=coach).update(
        next_meeting_on=timezone.localdate() + timedelta(days=3)
    )
    client = login(coach)
    assert client.get(_add(sam)).status_code == 200
    assert client.get(_add(sam) + "?note=1").status_code == 200
    assert login(world["lead"]).get(_add(sam)).status_code == 200  # no next meeting to set
    # Errors on every field the coach can get wrong, goals chosen and typed words kept.
    invalid = {
        "happened_on": "2026-03-09",
        "place": "x" * 200,
        "goals": [goals[1].pk, goals[2].pk],
        "next_meeting_on": "2026-03-01",
    }
    assert client.post(_add(sam), invalid).status_code == 200
    assert client.post(_add(sam), {"happened_on": "nope", "note": "1"}).status_code == 200
    prompted = {"happened_on": "2026-03-09", "notes": "Sam <failed to attend> & more"}
    assert client.post(_add(sam), {**prompted, "goals": [goals[0].pk]}).status_code == 200
    talk = conversation_create(
        actor=coach,
        person=sam,
        happened_on=date(2026, 3, 2),
        place='The "park" café',
        notes="We walked.\nAnd talked.",
        goals=[goals[0], goals[2]],
    )
    edit = f"/people/{sam.pk}/conversations/{talk.pk}/edit/"
    assert client.get(edit).status_code == 200
    login(sam.user).post(edit, {"happened_on": "2026-03-02", "notes": "Sam's", "version": 1})
    stale = {"happened_on": "2026-03-02", "notes": "Coach's", "version": 1, "goals": [goals[2].pk]}
    assert client.post(edit, stale).status_code == 409
    assert len(rendered) == 8
    for seen in rendered:
        now, then = _form_both_ways(seen)
        assert now == then
    pages = [_form_both_ways(seen)[0] for seen in rendered]
    assert "&lt;b&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt; &quot;quotes&quot;" in pages[0]
    assert "Not now" not in pages[0] and "Someone else" not in pages[0]
    assert 'name="next_meeting_on"' in pages[0] and 'name="next_meeting_on"' not in pages[2]
    assert pages[3].count(" checked>") == 2 and "field-error" in pages[3]
    assert "Keep my words and save" in pages[5] and pages[5].count(" checked>") == 1
    assert pages[6].count(" checked>") == 2 and "Their version (saved)" in pages[7]


def test_a_person_without_goals_gets_no_goals_fieldset(world, login, rendered):
    assert login(world["coach"]).get(_add(world["sam"])).status_code == 200
    now, then = _form_both_ways(rendered[0])
    assert now == then and "<fieldset" not in now


@pytest.fixture
def listed(world: dict[str, Any]) -> Any:
    """The home organisation's list: a default switched off, one given other words, its own
    phrases (one off), and the prompt offered over two months."""
    home = world["home"]
    LanguageWord.objects.create(organisation=home, phrase="chaotic", active=False)
    LanguageWord.objects.create(organisation=home, phrase="case", suggestion="Sam & <co>")
    LanguageWord.objects.create(organisation=home, phrase='Tom\'s "word"', suggestion="a <b>")
    LanguageWord.objects.create(organisation=home, phrase="gone", suggestion="x", active=False)
    LanguageWord.objects.create(organisation=world["other"], phrase="not ours", suggestion="y")
    for days, phrase, kept in [(0, "case", False), (0, "case", True), (40, "chaotic", False)]:
        LanguagePromptEvent.objects.create(
            organisation=home,
            phrase=phrase,
            kept_words=kept,
            on=timezone.localdate() - timedelta(days=days),
        )
    return home


def _full_list_before(organisation: Any) -> list[language.ListedPhrase]:
    """`language.full_list` as it was, reading the organisation's words with the ORM."""
    own = {w.phrase.lower(): w for w in LanguageWord.objects.filter(organisation=organisation)}
    listed = []
    for phrase, suggestion in language.DEFAULTS:
        word = own.pop(phrase, None)
        listed.append(
            language.ListedPhrase(
                phrase,
                (word.suggestion if word else "") or suggestion,
                word.active if word else True,
                True,
            )
        )
    listed.extend(
        language.ListedPhrase(w.phrase, w.suggestion, w.active, False) for w in own.values()
    )
    return listed


def _words_both_ways(seen: tuple[Any, str, dict[str, Any]], organisation: Any) -> tuple[str, str]:
    request, template, context = seen
    assert template == "coaching/language/words.html"
    before = {
        "organisation": context["organisation"],
        "led": context["led"],
        "form": context["form"],
        "phrases": [vars(phrase) for phrase in _full_list_before(organisation)],
        "counts": _prompt_counts_before(organisation),
    }
    now = loader.get_template(template).render(context, request)
    then = engines["django"].from_string(WORDS_BEFORE).render(before, request)
    return _unmasked(now), _unmasked(then)


def test_the_language_list_writes_what_it_wrote_before(world, listed, login, rendered):
    client = login(world["lead"])
    assert client.get("/people/language/").status_code == 200
    assert client.post("/people/language/", {"phrase": "<x>", "suggestion": ""}).status_code == 200
    for seen in rendered:
        now, then = _words_both_ways(seen, listed)
        assert now == then
    page = _words_both_ways(rendered[0], listed)[0]
    assert 'Tom&#x27;s &quot;word&quot; <span class="muted">(ours)</span>' in page
    assert "Sam &amp; &lt;co&gt;" in page and "not ours" not in page
    assert page.count('value="on">Switch on') == 2  # "chaotic" and "gone"
    assert page.count("<tr><td>") == 2  # two months, "case" counted once with both events
    assert "field-error" in _words_both_ways(rendered[1], listed)[0]


def test_an_empty_list_writes_what_it_wrote_before(world, login, rendered):
    assert login(world["lead"]).get("/people/language/").status_code == 200
    now, then = _words_both_ways(rendered[0], world["home"])
    assert now == then and "The prompt hasn't come up yet." in now


def test_every_row_switches_with_the_page_s_token(world, listed, login):
    page = login(world["lead"]).get("/people/language/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1  # the sign-out form's, the rows' and the add form's: one token
    assert page.count("csrfmiddlewaretoken") == len(language.DEFAULTS) + 2 + 2


def test_the_reads_written_once_give_what_the_orm_gave(world, listed, goals):
    assert selectors.language_list(listed.pk) == _full_list_before(listed)
    assert selectors.prompt_counts(listed.pk) == _prompt_counts_before(listed)
    sam = world["sam"]
    queryset = sam.goals.exclude(status=Goal.Status.CHANGED_MY_MIND).order_by("-created_at")
    assert selectors.goal_choices(sam.pk) == [(g.pk, g.words) for g in queryset]


def test_the_writer_s_relationship_is_chosen_as_before(world):
    sam, coach = world["sam"], world["coach"]
    first = Relationship.objects.get(person=sam, coach=coach)

    def same() -> None:
        chosen = selectors.writer_relationship(sam, coach)
        row = selectors.writer_relationship_row(sam.pk, coach)
        assert row is not None and chosen is not None
        assert (row.pk, row.next_meeting_on) == (chosen.pk, chosen.next_meeting_on)

    same()
    later = Relationship.objects.create(
        person=sam,
        coach=coach,
        organisation=world["home"],
        started_on=first.started_on + timedelta(days=5),
        next_meeting_on=date(2027, 1, 4),
    )
    same()
    Relationship.objects.filter(pk=later.pk).update(state=Relationship.State.ENDED)
    same()
    assert selectors.writer_relationship_row(sam.pk, world["lead"]) is None
    assert selectors.writer_relationship(sam, world["lead"]) is None

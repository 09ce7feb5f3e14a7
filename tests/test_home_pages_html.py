"""A lead's home made cheaper without changing a byte (issue 11): the lists of its queue are
written in Python (home/templatetags/home_pages.py) and most of its queries are written by the
ORM once (core/written.py). The queue is compared with what home/_lead_queue.html
wrote before, kept below, on an organisation with every list full."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import engines, loader
from django.test import RequestFactory
from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.coaching.models import (
    CorrectionRequest,
    ErasureRequest,
    Goal,
    OrganisationNumber,
    Payment,
    SpendRequest,
)
from alongside.home import selectors

from .factories import organisation, person, staff

pytestmark = pytest.mark.django_db

# home/_lead_queue.html as it was before its lists were written in Python.
REFERENCE_QUEUE = """{# A lead's home: what is waiting for their decision, and the organisation's numbers at a glance. Needs `queue`, and `week` when the lead also coaches. #}
{% load home_words %}
<div class="with-aside home-queue">
  <div>
    <section aria-labelledby="lead-waiting-title">
      <h2 id="lead-waiting-title">{% if week %}Waiting for you as a lead{% else %}Waiting for your decision{% endif %}</h2>
      {% if not queue.waiting %}
      <p>Nothing is waiting for a lead's decision.</p>
      {% else %}
      {% if queue.spends %}
      <h3>Spending over a coach's limit</h3>
      <dl class="summary-list">
        {% for s in queue.spends %}
        <div>
          <dt>{{ s.name }}</dt>
          <dd>{{ s.what_for }}: {{ s.amount }}, asked for on {{ s.created_at|day }}{% if s.by %} by {{ s.by }}{% endif %}.</dd>
          <dd><a href="{{ s.decide_url }}">Decide<span class="visually-hidden"> about {{ s.amount }} for {{ s.what_for }}, for {{ s.name }}</span></a></dd>
        </div>
        {% endfor %}
      </dl>
      {% if queue.more_spends %}<p>There are more: the oldest are shown first.</p>{% endif %}
      {% endif %}
      {% if queue.erasures %}
      <h3>Asked to have their record erased</h3>
      <dl class="summary-list">
        {% for e in queue.erasures %}
        <div>
          <dt>{{ e.name }}</dt>
          <dd>Asked on {{ e.at|day }}.</dd>
          <dd><a href="{% url 'me:erasure_decide' e.pk %}">Answer<span class="visually-hidden"> {{ e.name }}'s request to erase their record</span></a></dd>
        </div>
        {% endfor %}
      </dl>
      {% if queue.more_erasures %}<p><a href="{% url 'me:erasure_queue' %}">See every request to erase a record</a></p>{% endif %}
      {% endif %}
      {% if queue.corrections %}
      <h3>Asked to change their record, more than a week ago</h3>
      <dl class="summary-list">
        {% for c in queue.corrections %}
        <div>
          <dt>{{ c.name }}</dt>
          <dd>Asked on {{ c.at|day }} and not answered yet.</dd>
          <dd><a href="{% url 'me:correction_decide' c.pk %}">Answer<span class="visually-hidden"> {{ c.name }}'s request to change their record</span></a></dd>
        </div>
        {% endfor %}
      </dl>
      {% if queue.more_corrections %}<p>There are more: the oldest are shown first.</p>{% endif %}
      {% endif %}
      {% endif %}
    </section>

    <section aria-labelledby="quiet-title">
      <h2 id="quiet-title">No contact for a long time</h2>
      {% if queue.quiet %}
      <p>{{ queue.quiet_count }} {{ queue.quiet_count|pluralize:"relationship has,relationships have" }} had no contact written down for more than {{ queue.quiet_weeks|join:" or " }} weeks. Nothing ends because of it: it may be worth a word with the coach.</p>
      <dl class="summary-list">
        {% for rel in queue.quiet %}
        <div>
          <dt><a href="{{ rel.url }}">{{ rel.name }}</a></dt>
          <dd>With {{ rel.coach }}. {{ rel.in_touch }}.</dd>
        </div>
        {% endfor %}
      </dl>
      {% if queue.quiet_count > queue.quiet|length %}{% with org=queue.organisations.0 %}<p><a href="{% url 'home:everyone' %}?{% if org.query %}organisation={{ org.organisation.pk }}&amp;{% endif %}show=quiet">See all {{ queue.quiet_count }}</a></p>{% endwith %}{% endif %}
      {% else %}
      <p>Everyone has been in touch recently.</p>
      {% endif %}
    </section>
  </div>

  <aside aria-label="At a glance">
    {% url 'home:everyone' as everyone %}{% for o in queue.organisations %}{% with n=o.numbers %}
    <h2>{{ o.organisation.name }} at a glance</h2>
    <dl class="summary-list glance">
      <div><dt>People with a record</dt><dd><a href="{{ everyone }}{{ o.query }}">{{ n.people }}</a></dd></div>
      {% for stage in n.stages %}
      <div><dt>{{ stage.label }}</dt><dd><a href="{{ everyone }}?{% if o.query %}organisation={{ o.organisation.pk }}&amp;{% endif %}show={{ stage.state }}">{{ stage.cell }}<span class="visually-hidden"> relationships: {{ stage.label }}</span></a></dd></div>
      {% endfor %}
      <div><dt>Check-ins in {{ n.month|date:"F" }}</dt><dd><a href="{{ everyone }}?{% if o.query %}organisation={{ o.organisation.pk }}&amp;{% endif %}show=checked-in">{{ n.check_ins }}<span class="visually-hidden"> check-ins this month</span></a></dd></div>
      <div><dt>Personal budgets</dt><dd><a href="{% url 'coaching:budget_ledger' %}">{{ n.committed }} of {{ n.allocation }}</a> committed ({{ n.percent }}%), {{ n.paid }} paid so far.</dd></div>
    </dl>
    {% endwith %}{% endfor %}
    <p><a href="{% url 'accounts:organisation' %}">Organisation settings and activity</a></p>
  </aside>
</div>
"""  # noqa: E501

AWKWARD = 'Tom & Jerry\'s <b>"big"</b>'


def _fill(world, count: int) -> None:
    """`count` people in the lead's organisation with something in every list."""
    home = world["home"]
    long_ago = timezone.localdate() - datetime.timedelta(weeks=60)
    limit = home.coach_approval_limit_pence
    for i in range(count):
        someone = person(home, world["coach"], f"{AWKWARD} {i}")
        someone.relationships.update(last_contact_on=long_ago if i % 2 else None)
        spend = SpendRequest.objects.create(
            person=someone,
            what_for=f"{AWKWARD} laptop",
            amount_pence=limit + 500 + i,
            requested_by=world["coach"] if i % 3 else None,
            status=SpendRequest.Status.REQUESTED,
        )
        if i % 4 == 0:
            SpendRequest.objects.filter(pk=spend.pk).update(status=SpendRequest.Status.APPROVED)
            Payment.objects.create(spend_request=spend, amount_pence=100 + i)
        goal = Goal.objects.create(person=someone, words="a flat")
        CorrectionRequest.objects.create(
            person=someone,
            about_type="goal",
            about_id=goal.pk,
            field_name="words",
            as_written="a flat",
            asked_for="a house",
            created_at=timezone.now() - datetime.timedelta(days=9),
        )
        ErasureRequest.objects.create(person=someone, organisation=home)


def _queue_both_ways(user) -> tuple[str, str]:
    request = RequestFactory().get("/")
    request.user = user
    context = {"queue": selectors.lead_queue(user), "week": None}
    now = loader.get_template("home/_lead_queue.html").render(context, request)
    then = engines["django"].from_string(REFERENCE_QUEUE).render(context, request)
    return now, then


@pytest.mark.parametrize("count", [0, 3, 14])
def test_the_lead_queue_writes_what_it_wrote_before(world, count):
    _fill(world, count)
    now, then = _queue_both_ways(world["lead"])
    assert now == then
    if count:
        assert "Tom &amp; Jerry&#x27;s &lt;b&gt;&quot;big&quot;&lt;/b&gt;" in now
        for heading in ("Spending over a coach", "record erased", "change their record"):
            assert heading in now
        assert "Nothing ends because of it" in now


def test_a_lead_of_two_organisations_gets_the_queue_it_got_before(world):
    _fill(world, 5)
    second = organisation(area_obj=world["area"])
    Membership.objects.create(user=world["lead"], organisation=second, role=Role.LEAD)
    someone = person(second, staff(Role.COACH, second), "Bea")
    SpendRequest.objects.create(
        person=someone, what_for="boots", amount_pence=second.coach_approval_limit_pence + 1
    )
    world["lead"].__dict__.pop("_alongside_held", None)
    now, then = _queue_both_ways(world["lead"])
    assert now == then
    assert "Bea" in now and "boots" in now


def test_the_numbers_written_once_are_the_orms(world):
    _fill(world, 6)
    ids = [world["home"].pk, world["other"].pk]
    relationships = OrganisationNumber.RELATIONSHIPS
    kept_states = {
        org: {
            name.removeprefix(relationships): n
            for name, n in numbers.items()
            if name.startswith(relationships) and n
        }
        for org, numbers in selectors._kept_numbers(ids).items()
    }
    assert kept_states == {
        org: {row["state"]: row["n"] for row in rows} for org, rows in _grouped(ids).items()
    }
    for build in (
        selectors._kept_numbers_query,
        selectors._spend_query,
        selectors._over_limit_query,
        selectors._erasures_query,
    ):
        from alongside.core.written import rows_for_ids

        assert rows_for_ids(build, ids) == [tuple(row) for row in build(ids)]
        assert rows_for_ids(build, ids[:1]) == [tuple(row) for row in build(ids[:1])]


def _grouped(ids):
    from django.db.models import Count

    from alongside.coaching.models import Relationship

    found: dict[int, list[dict]] = {}
    for row in (
        Relationship.objects.filter(organisation_id__in=ids)
        .values("organisation_id", "state")
        .annotate(n=Count("id"))
    ):
        found.setdefault(row["organisation_id"], []).append(row)
    return found


def test_the_whole_home_is_unchanged_apart_from_the_queue(world, login):
    _fill(world, 4)
    page = login(world["lead"]).get("/")
    assert page.status_code == 200
    now, _ = _queue_both_ways(world["lead"])
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
    assert now in html


# home/_coach_week.html as it was before its lists were written in Python.
REFERENCE_WEEK = """{# A coach's home: their week, what is waiting for them, and who to keep in touch with. Needs `week` and `today`. #}
{% load home_words %}
<div class="with-aside home-week">
  <div>
    <section aria-labelledby="today-title">
      <h2 id="today-title">Today, {{ today|day }}</h2>
      {% if week.today %}
      <dl class="summary-list">
        {% for rel in week.today %}
        <div>
          <dt><a href="{{ rel.url }}">{{ rel.name }}</a></dt>
          <dd>You're meeting today.</dd>
          <dd><a href="{{ rel.write_up_url }}">Write it up<span class="visually-hidden"> with {{ rel.name }}</span></a></dd>
        </div>
        {% endfor %}
      </dl>
      {% else %}
      <p>No meetings written down for today.</p>
      {% endif %}
    </section>

    <section aria-labelledby="this-week-title">
      <h2 id="this-week-title">Later this week</h2>
      {% if week.this_week %}
      <dl class="summary-list">
        {% for rel in week.this_week %}
        <div>
          <dt>{{ rel.next_meeting_on|day }}</dt>
          <dd><a href="{{ rel.url }}">{{ rel.name }}</a></dd>
        </div>
        {% endfor %}
      </dl>
      {% else %}
      <p>No other meetings in the next seven days.</p>
      {% endif %}
    </section>

    {% if week.to_write_up %}
    <section aria-labelledby="did-you-meet-title">
      <h2 id="did-you-meet-title">Did you meet?</h2>
      <p>These meetings have passed and nothing has been written since.</p>
      <dl class="summary-list">
        {% for rel in week.to_write_up %}
        <div>
          <dt><a href="{{ rel.url }}">{{ rel.name }}</a></dt>
          <dd>Planned for {{ rel.next_meeting_on|day }}.</dd>
          <dd><a href="{{ rel.write_up_url }}">Write it up<span class="visually-hidden"> with {{ rel.name }}</span></a> · <a href="{{ rel.dates_url }}">Change the date<span class="visually-hidden"> for {{ rel.name }}</span></a></dd>
        </div>
        {% endfor %}
      </dl>
    </section>
    {% endif %}

    <section aria-labelledby="waiting-title">
      <h2 id="waiting-title">Waiting for you</h2>
      {% if not week.corrections and not week.spends_to_decide and not week.spends_with_lead %}
      <p>Nothing is waiting for you to answer.</p>
      {% else %}
      <dl class="summary-list">
        {% for c in week.corrections %}
        <div>
          <dt>{{ c.name }}</dt>
          <dd>Asked on {{ c.at|day }} to change something written in their record.</dd>
          <dd><a href="{% url 'me:correction_decide' c.pk %}">Answer<span class="visually-hidden"> {{ c.name }}'s request to change their record</span></a></dd>
        </div>
        {% endfor %}
        {% for s in week.spends_to_decide %}
        <div>
          <dt>{{ s.name }}</dt>
          <dd>{{ s.what_for }}: {{ s.amount }}, asked for on {{ s.created_at|day }}.</dd>
          <dd><a href="{{ s.decide_url }}">Decide<span class="visually-hidden"> about {{ s.amount }} for {{ s.what_for }}</span></a></dd>
        </div>
        {% endfor %}
        {% for s in week.spends_with_lead %}
        <div>
          <dt>{{ s.name }}</dt>
          <dd>{{ s.what_for }}: {{ s.amount }}. This is more than a coach can approve, so a lead will decide.</dd>
          <dd><a href="{{ s.budget_url }}">See the budget<span class="visually-hidden"> for {{ s.name }}</span></a></dd>
        </div>
        {% endfor %}
      </dl>
      {% endif %}
    </section>

    <section aria-labelledby="news-title">
      <h2 id="news-title">Since you last looked</h2>
      <p class="hint">Since {{ week.since|moment }}.</p>
      {% if week.spends_decided or week.answers %}
      <dl class="summary-list">
        {% for a in week.answers %}
        <div>
          <dt>{{ a.name }}</dt>
          <dd>{% if a.accepted %}Made the goal {% if a.goal.suggested_by_id == user.pk %}you suggested{% else %}suggested to them{% endif %} their own: “{{ a.goal.words }}”{% else %}Decided the goal {% if a.goal.suggested_by_id == user.pk %}you suggested{% else %}suggested to them{% endif %} isn't for them: “{{ a.goal.words }}”{% endif %}{% if a.at %} ({{ a.at|day }}){% endif %}.</dd>
          <dd><a href="{% url 'coaching:goal_detail' a.goal.person_id a.goal.pk %}">See the goal<span class="visually-hidden"> “{{ a.goal.words }}”</span></a></dd>
        </div>
        {% endfor %}
        {% for s in week.spends_decided %}
        <div>
          <dt>{{ s.name }}</dt>
          <dd>{{ s.what_for }}: {{ s.amount }}, {% if s.status == "declined" %}not approved{% else %}approved{% endif %}{% if s.by %}, by {{ s.by }}{% endif %} on {{ s.decided_at|day }}.</dd>
          <dd><a href="{{ s.budget_url }}">See the budget<span class="visually-hidden"> for {{ s.name }}</span></a></dd>
        </div>
        {% endfor %}
      </dl>
      {% else %}
      <p>No goals answered and no spending decided since then.</p>
      {% endif %}
    </section>
  </div>

  <aside aria-labelledby="keep-in-touch-title">
    <h2 id="keep-in-touch-title">Keep in touch</h2>
    <p>You're working alongside {{ week.count }} {{ week.count|pluralize:"person,people" }}.{% if week.prompts %} {{ week.prompts }} {{ week.prompts|pluralize:"person you might like,people you might like" }} to keep in touch with.{% endif %}</p>
    {% if week.keep_in_touch %}
    <ul class="keep-in-touch">
      {% for rel in week.keep_in_touch|slice:":8" %}
      <li>
        <a href="{{ rel.url }}">{{ rel.name }}</a>: {% if rel.last_contact_on %}last in touch {{ rel.last_contact_on|day }}{% else %}nothing written down since {{ rel.started_on|day }}{% endif %}.
        <br><span class="actions"><a href="{{ rel.write_up_url }}">Write up a conversation<span class="visually-hidden"> with {{ rel.name }}</span></a> · <a href="{{ rel.write_up_url }}?note=1">Send a note<span class="visually-hidden"> to {{ rel.name }}</span></a></span>
      </li>
      {% endfor %}
    </ul>
    {% if week.keep_in_touch|length > 8 %}<p><a href="{% url 'coaching:people' %}#keep-in-touch-title">See all {{ week.keep_in_touch|length }} to keep in touch with</a></p>{% endif %}
    {% endif %}
    {% if week.paused %}
    <h3>Paused for now</h3>
    <ul class="keep-in-touch">
      {% for rel in week.paused|slice:":8" %}
      <li>
        <a href="{{ rel.url }}">{{ rel.name }}</a>{% if rel.keep_in_touch %} would like to keep in touch like this: “{{ rel.keep_in_touch }}”.{% endif %}
        <br><span class="actions"><a href="{{ rel.write_up_url }}?note=1">Send a note<span class="visually-hidden"> to {{ rel.name }}</span></a></span>
      </li>
      {% endfor %}
    </ul>
    {% if week.paused|length > 8 %}<p><a href="{% url 'coaching:people' %}#keep-in-touch-title">See all {{ week.paused|length }} who have paused</a></p>{% endif %}
    {% endif %}
    <p><a href="{% url 'coaching:people' %}">See everyone you work alongside</a></p>
    <p><a href="{% url 'coaching:person_start' %}">Start working with someone</a></p>
  </aside>
</div>
"""  # noqa: E501


def _busy_week(world) -> None:
    """A coach with something in every list of their week, and more than eight to keep in
    touch with and eight paused (the lists show eight)."""
    from alongside.coaching.models import Relationship
    from alongside.coaching.services.corrections import goal_decline
    from alongside.coaching.services.goals import goal_accept

    home, coach = world["home"], world["coach"]
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(weeks=30)
    plans = [
        {"next_meeting_on": today},
        {"next_meeting_on": today + datetime.timedelta(days=3)},
        {"next_meeting_on": today - datetime.timedelta(days=4), "last_contact_on": long_ago},
        {"next_meeting_on": today - datetime.timedelta(days=2)},
    ]
    for i in range(22):
        someone = person(home, coach, f"{AWKWARD} {i}")
        changes = dict(plans[i]) if i < len(plans) else {}
        if i >= len(plans):
            changes["last_contact_on"] = long_ago if i % 3 else None
            changes["started_on"] = long_ago - datetime.timedelta(days=i)
        if i >= 12:
            changes["state"] = Relationship.State.PAUSED
            changes["keep_in_touch"] = f"{AWKWARD} texts" if i % 2 else ""
        someone.relationships.update(**changes)
    sam, alex = world["sam"], world["alex"]
    limit = home.coach_approval_limit_pence
    SpendRequest.objects.create(person=sam, what_for=f"{AWKWARD} pass", amount_pence=limit)
    SpendRequest.objects.create(person=alex, what_for="laptop", amount_pence=limit + 1)
    for status in (SpendRequest.Status.APPROVED, SpendRequest.Status.DECLINED):
        SpendRequest.objects.create(
            person=alex,
            what_for=f"{AWKWARD} {status}",
            amount_pence=8000,
            status=status,
            decided_by=world["lead"] if status == SpendRequest.Status.APPROVED else None,
            decided_at=timezone.now(),
        )
    goal = Goal.objects.create(person=sam, words="a <flat>")
    CorrectionRequest.objects.create(
        person=sam, about_type="goal", about_id=goal.pk, field_name="words", as_written="x"
    )
    for words, by in (("cook & eat", coach), ("run", coach), ("swim", world["second_coach"])):
        suggested = Goal.objects.create(person=sam, words=words, suggested_by=by)
        if words == "run":
            goal_decline(actor=sam.user, goal=suggested)
        else:
            goal_accept(actor=sam.user, goal=suggested)


def _week_both_ways(user) -> tuple[str, str]:
    request = RequestFactory().get("/")
    request.user = user
    since = timezone.now() - datetime.timedelta(days=3)
    context = {
        "week": selectors.coach_week(user, since=since),
        "today": timezone.localdate(),
        "user": user,
    }
    now = loader.get_template("home/_coach_week.html").render(context, request)
    then = engines["django"].from_string(REFERENCE_WEEK).render(context, request)
    return now, then


def test_a_coachs_week_writes_what_it_wrote_before(world):
    now, then = _week_both_ways(world["coach"])
    assert now == then  # an empty week
    _busy_week(world)
    now, then = _week_both_ways(world["coach"])
    assert now == then
    for said in (
        "You're meeting today.",
        "Later this week",
        "Did you meet?",
        "to change something written in their record",
        "asked for on",
        "so a lead will decide",
        "Made the goal you suggested their own: \u201ccook &amp; eat\u201d",
        "Made the goal suggested to them their own",
        "isn't for them",
        "not approved",
        ", by ",
        "Send a note",
        "nothing written down since",
        "would like to keep in touch like this: \u201cTom &amp; Jerry",
        "See all 10 who have paused",
    ):
        assert said in now, said


def test_a_lead_who_coaches_gets_the_week_it_got_before(world):
    _busy_week(world)
    Membership.objects.create(user=world["lead"], organisation=world["home"], role=Role.COACH)
    world["lead"].__dict__.pop("_alongside_held", None)
    from alongside.coaching.models import Relationship

    Relationship.objects.filter(person=world["alex"]).update(coach=world["lead"])
    now, then = _week_both_ways(world["lead"])
    assert now == then


def test_the_weeks_queries_written_once_are_the_orms(world):
    from alongside.core.written import user_rows

    _busy_week(world)
    coach = world["coach"]
    for ids in ([world["home"].pk], [world["home"].pk, world["other"].pk], [world["other"].pk]):
        for build in (selectors._week_query, selectors._corrections_query):
            expected = [tuple(row) for row in build(coach.pk, ids)]
            assert user_rows(build, coach.pk, ids) == expected
    assert len(user_rows(selectors._week_query, coach.pk, [world["home"].pk])) >= 22


def test_the_coachs_spends_written_once_are_the_orms(world):
    """The spends on a coach's week, read from a query written once for each `since`, are the
    rows the ORM gives for that coach, those organisations and that moment."""
    from django.db.models import Q

    _fill(world, 6)
    now = timezone.now()
    decided = SpendRequest.objects.filter(status=SpendRequest.Status.APPROVED)
    decided.update(decided_at=now - datetime.timedelta(hours=2), decided_by=world["lead"])
    orgs = [world["home"].pk]

    def orm(user_id, since):
        people = selectors._mine(user_id, orgs).values("person_id")
        return [
            tuple(row)
            for row in SpendRequest.objects.filter(person_id__in=people)
            .filter(
                Q(status=SpendRequest.Status.REQUESTED)
                | (Q(decided_at__gt=since) & ~Q(decided_by_id=user_id))
            )
            .order_by("created_at", "id")
            .values_list("pk", "person_id", "what_for", "amount_pence", "status")
        ]

    for user in (world["coach"], world["second_coach"]):
        for since in (now - datetime.timedelta(days=1), now - datetime.timedelta(hours=1)):
            for _ in range(2):  # the second time from the query written the first
                found = selectors._spends_waiting_or_decided(user.pk, orgs, since)
                assert [row[:5] for row in found] == orm(user.pk, since)
    # A day back the approved ones show; an hour back they do not; another coach has none.
    day = selectors._spends_waiting_or_decided(
        world["coach"].pk, orgs, now - datetime.timedelta(days=1)
    )
    hour = selectors._spends_waiting_or_decided(
        world["coach"].pk, orgs, now - datetime.timedelta(hours=1)
    )
    assert len(day) > len(hour) > 0
    assert selectors._spends_waiting_or_decided(world["second_coach"].pk, orgs, now) == []

"""A lead of two organisations manages each one's lists, not only the lower-numbered one."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Membership, Organisation, Role
from alongside.coaching.models import LanguageWord, MilestoneKind

from .factories import text_of as page_of


def text_of(response) -> str:
    """The page's words without tags, so "Showing <strong>X</strong>" reads "Showing X"."""
    return re.sub(r"<[^>]+>", "", page_of(response))


pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations(world):
    lead = world["lead"]
    second = Organisation.objects.create(
        name="Zebra Crossing Trust",
        slug="zebra-crossing",
        kind=Organisation.Kind.PROVIDER,
        area=world["area"],
    )
    Membership.objects.create(user=lead, organisation=second, role=Role.LEAD)
    return lead, world["home"], second


def test_the_chooser_shows_each_organisation_and_lists_stay_apart(two_organisations, login):
    lead, first, second = two_organisations
    client = login(lead)
    page = text_of(client.get("/people/milestones/"))
    assert f"Showing {first.name}" in page and f"Show {second.name}" in page

    url = f"/people/milestones/?organisation={second.pk}"
    response = client.post(url, {"label": "Fixed my bike"})
    assert response.status_code == 302 and response["Location"] == url
    assert MilestoneKind.objects.filter(organisation=second, label="Fixed my bike").exists()
    assert not MilestoneKind.objects.filter(organisation=first).exists()
    assert f"Showing {second.name}" in text_of(client.get(url))

    words = f"/people/language/?organisation={second.pk}"
    client.post(words, {"phrase": "frequent flyer", "suggestion": "someone we know well"})
    assert LanguageWord.objects.filter(organisation=second, phrase="frequent flyer").exists()
    assert not LanguageWord.objects.filter(organisation=first).exists()


def test_an_organisation_the_lead_does_not_lead_is_refused(two_organisations, world, login):
    lead, _, _ = two_organisations
    other = world["other"]
    client = login(lead)
    assert client.get(f"/people/milestones/?organisation={other.pk}").status_code == 403
    assert (
        client.post(f"/people/language/?organisation={other.pk}", {"phrase": "x"}).status_code
        == 403
    )
    assert client.get(f"/people/instruments/?organisation={other.pk}").status_code == 403

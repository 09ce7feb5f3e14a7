"""Through the real pages: who can open a person's record, and that each look is audited."""

import re

import pytest

from alongside.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_coach_opens_the_record_of_someone_they_work_alongside(world, login):
    sam = world["sam"]
    response = login(world["coach"]).get(f"/people/{sam.pk}/")
    assert response.status_code == 200
    assert "Sam" in response.content.decode()
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=sam.pk).get()
    assert entry.actor_id == world["coach"].pk
    assert entry.request_id == response["X-Request-ID"]


@pytest.mark.parametrize(
    "who", ["other_coach", "second_coach", "other_lead", "commissioner", "convener", "assessor"]
)
def test_others_are_refused_and_the_refusal_is_audited(world, login, who):
    sam = world["sam"]
    response = login(world[who]).get(f"/people/{sam.pk}/")
    assert response.status_code == 403
    assert "Sam" not in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=sam.pk).exists()


def test_a_person_cannot_open_another_persons_record_by_changing_the_id(world, login):
    client = login(world["sam"].user)
    for other in ("alex", "jo"):
        response = client.get(f"/people/{world[other].pk}/")
        assert response.status_code == 403
        # The words on the page, not attributes: a random nonce may hold the letters "Jo".
        words = re.sub(r"<[^>]*>", " ", response.content.decode())
        assert not re.search(rf"\b{world[other].chosen_name}\b", words)


def _words(response) -> str:
    """The page's words without its tags: a random token in an attribute (the CSRF token,
    64 letters and digits) holds "Jo" about one time in sixty."""
    return re.sub(r"<[^>]*>", " ", response.content.decode())


def test_people_list_shows_only_my_people(world, login):
    words = _words(login(world["coach"]).get("/people/"))
    assert re.search(r"\bSam\b", words) and re.search(r"\bAlex\b", words)
    assert not re.search(r"\bJo\b", words)


def test_people_list_is_for_coaches_only(world, login):
    assert login(world["commissioner"]).get("/people/").status_code == 403
    assert login(world["sam"].user).get("/people/").status_code == 403


def test_search_finds_by_part_of_the_name(world, login):
    body = login(world["coach"]).get("/people/", {"q": "ale"}).content.decode()
    assert "Alex" in body
    assert ">Sam<" not in body


def test_commissioner_sees_only_disclosure_controlled_figures(world, login):
    body = _words(login(world["commissioner"]).get("/area/"))
    # Two open relationships in one organisation and one in another: all under 10.
    assert "fewer than 10" in body
    assert not re.search(r"\b(Sam|Alex)\b", body)

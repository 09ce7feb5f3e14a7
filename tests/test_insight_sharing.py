"""The sharing switch (issue 14, item 7): a lead chooses whether the organisation's coaching
figures join the area's insight; the choice is audited, and only that organisation's leads
may make it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.accounts import services
from alongside.core.models import AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def switch(client, org, value: str):
    return client.post(reverse("accounts:share_coaching_figures", args=[org.pk]), {"shares": value})


def test_a_lead_switches_sharing_on_and_off_and_each_is_audited(world, login):
    home, client = world["home"], login(world["lead"])
    page = text_of(client.get(reverse("accounts:organisation")))
    assert "Share our coaching figures with the area's insight" in page
    assert "never a person" in page

    response = switch(client, home, "yes")

    assert response.status_code == 302
    home.refresh_from_db()
    assert home.shares_coaching_figures_in_area
    entry = AuditEntry.objects.filter(detail="shares coaching figures in area: yes").get()
    assert entry.actor_id == world["lead"].pk and entry.organisation_id == home.pk
    assert "Your check-in changes and counts join the area's insight" in text_of(
        client.get(reverse("accounts:organisation"))
    )

    switch(client, home, "no")
    home.refresh_from_db()
    assert not home.shares_coaching_figures_in_area
    assert AuditEntry.objects.filter(detail="shares coaching figures in area: no").count() == 1
    # The barriers switch is a different choice and is left alone.
    assert not home.shares_barriers_in_area


def test_a_choice_that_is_neither_yes_nor_no_changes_nothing(world, login):
    home = world["home"]
    response = switch(login(world["lead"]), home, "perhaps")
    assert response.status_code == 302
    home.refresh_from_db()
    assert not home.shares_coaching_figures_in_area


@pytest.mark.parametrize("who", ["coach", "other_lead", "commissioner", "analyst"])
def test_only_the_organisations_own_leads_may_switch_it(world, login, who):
    home = world["home"]
    response = switch(login(world[who]), home, "yes")
    assert response.status_code == 403
    home.refresh_from_db()
    assert not home.shares_coaching_figures_in_area
    assert AuditEntry.objects.filter(action="denied", actor_id=world[who].pk).exists()


def test_the_service_refuses_someone_who_is_not_a_lead(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.organisation_share_coaching_figures(
            actor=world["coach"], organisation=world["home"], shares=True
        )
    world["home"].refresh_from_db()
    assert not world["home"].shares_coaching_figures_in_area

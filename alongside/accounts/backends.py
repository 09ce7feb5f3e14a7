"""Signing in with a username and a passphrase: Django's own backend, loading the signed-in
user together with their person record (if they have one) in the same query. Every page asks
whether the user is a person (policy.is_person); without this, that was a query of its own on
every page for every member of staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from alongside.core.written import columns, rows_for_ids

PATH = "alongside.accounts.backends.UsernameBackend"


def _person_model() -> Any:
    # The person record is coaching's; accounts names it only through the relation.
    return get_user_model()._meta.get_field("person").related_model


def _user_query(ids: list[int]) -> QuerySet[Any]:
    """The user and their person record's columns (nothing when they have none): the query
    `select_related("person")` asked, written by the ORM once per connection (core.written)
    rather than on every page (about a thousand Python calls a request, issue 11)."""
    user = get_user_model()
    person = [f"person__{name}" for name in columns(_person_model())]
    return user._default_manager.filter(pk=ids[0]).values_list(*columns(user), *person)


class UsernameBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        if type(user_id) is not int:  # what the session holds is the pk's own type: an int
            return self._get_user_by_orm(user_id)
        found = rows_for_ids(_user_query, [user_id])
        if not found:
            return None
        user = _user_and_person(found[0])
        return user if self.user_can_authenticate(user) else None

    def _get_user_by_orm(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("person")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def _user_and_person(row: tuple[Any, ...]) -> Any:
    """The user from the row, with their person record (or none) cached as select_related
    would leave it: `user.person` asks nothing more, and says there is none when there is
    none."""
    user_model, person_model = get_user_model(), _person_model()
    user_columns = columns(user_model)
    user = user_model.from_db(DEFAULT_DB_ALIAS, user_columns, row[: len(user_columns)])
    values = row[len(user_columns) :]
    if values[0] is None:  # the person's id: no person record
        user._state.fields_cache["person"] = None
        return user
    person = person_model.from_db(DEFAULT_DB_ALIAS, columns(person_model), values)
    person._state.fields_cache["user"] = user
    user._state.fields_cache["person"] = person
    return user

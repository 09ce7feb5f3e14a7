"""Rows from a query the ORM writes once per database connection (issue 11).

Pages ask small queries that differ only in ids: "this person's rows of one part", "this
user's memberships", "this theme's barriers". Building and compiling each queryset cost about a
thousand Python calls a request, running it about a hundred: here the ORM writes each query
once, with ids nothing has standing in for the real ones, and each request puts the real ids in
their places and runs the same SQL. The queries, and so what they let through, are the callers'
own, unchanged: a query that stops naming every stand-in (its filter changed shape) fails
loudly rather than running with the wrong rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

_M = TypeVar("_M", bound=Model)

# An id no person has, written into the query where the person's id goes; ids nothing has,
# for queries that name a list of ids (of organisations, of conversations); and a user's.
_PERSON_WRITTEN = -(2**40) - 11
_IDS_WRITTEN = -(2**40) - 1000
_USER_WRITTEN = -(2**40) - 21
# Ids nothing has for a table whose ids are 32-bit (a third-party app's, such as django-otp's
# devices): the ORM refuses a stand-in out of the column's range.
_INT4_IDS_WRITTEN = -(2**31) + 1000
_INT4_KEYS = {"AutoField", "IntegerField"}


@dataclass(frozen=True)
class _Written:
    sql: str
    params: tuple[Any, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (column, functions, expression)


Build = Callable[[int], "QuerySet[Any]"]
BuildForMany = Callable[[list[int]], "QuerySet[Any]"]


def _write(queryset: QuerySet[Any], stand_ins: set[int], alias: str, what: str) -> _Written:
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    if not stand_ins <= set(p for p in params if _an_id(p)):
        raise RuntimeError(f"{what}'s query does not name its rows by id")
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    return _Written(
        str(sql),
        tuple(params),
        tuple(
            (i, tuple(functions), expression) for i, (functions, expression) in converters.items()
        ),
    )


def _written(key: Any, write: Callable[[str], _Written], connection: Any) -> _Written:
    # Kept on the connection object: each thread has its own, and the converters the ORM hands
    # out are the methods of that connection's backend.
    written_here: dict[Any, _Written] = connection.__dict__.setdefault("_alongside_written", {})
    written = written_here.get(key)
    if written is None:
        written = written_here[key] = write(DEFAULT_DB_ALIAS)
    return written


def _an_id(param: Any) -> bool:
    # A plain int, or one the backend wrapped (PostgreSQL's hands a BigIntegerField's value to
    # psycopg as Int8, an int of its own type), never a bool.
    return isinstance(param, int) and not isinstance(param, bool)


def _params(written: _Written, ids: dict[int, int]) -> list[Any]:
    # The real id in the stand-in's place, wrapped as the ORM wrapped the stand-in.
    return [type(p)(ids[p]) if _an_id(p) and p in ids else p for p in written.params]


def _converted(written: _Written, rows: list[Any], connection: Any) -> list[tuple[Any, ...]]:
    if not written.converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for i, functions, expression in written.converters:
            value = values[i]
            for function in functions:
                value = function(value, expression, connection)
            values[i] = value
        converted.append(tuple(values))
    return converted


def _run(key: Any, write: Callable[[str], _Written], ids: dict[int, int]) -> list[tuple[Any, ...]]:
    connection = connections[DEFAULT_DB_ALIAS]  # the project has no database routers
    ready = connection.__dict__.get(_READY)
    if ready:
        found = ready.pop((key, tuple(sorted(ids.items()))), None)
        if found is not None:
            return found
    written = _written(key, write, connection)
    with connection.cursor() as cursor:
        cursor.execute(written.sql, _params(written, ids))
        rows = cursor.fetchall()
    return _converted(written, rows, connection)


# Rows read ahead by `together`, by (query, ids), each taken (and so forgotten) by its first
# reader: a second read of the same rows asks the database again.
_READY = "_alongside_ready"


def _one_round_trip(connection: Any) -> bool:
    """Can several statements go to the database in one round trip? PostgreSQL's can: merged
    into one message (the parameters put into the text in Python, Django's default), or as
    prepared statements in one pipeline (server-side binding, settings.py). SQLite has no
    messages."""
    return connection.vendor == "postgresql"


def _sent_together(connection: Any, written: list[_Written], ids: dict[int, int]) -> list[Any]:
    """Each statement's rows, all sent before any answer is awaited."""
    params = [_params(w, ids) for w in written]
    options = connection.settings_dict.get("OPTIONS") or {}
    if options.get("server_side_binding") is not True:
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(w.sql for w in written), [p for ps in params for p in ps])
            results = [cursor.fetchall()]
            while cursor.nextset():
                results.append(cursor.fetchall())
        return results
    # One statement per message with the parameters bound on the server, so each goes through
    # Django's cursor (counted, logged, its errors Django's) in psycopg's pipeline: sent one
    # after another, their answers read when the pipeline ends.
    connection.ensure_connection()
    cursors = [connection.cursor() for _ in written]
    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, w, ps in zip(cursors, written, params, strict=True):
                cursor.execute(w.sql, ps)
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


@contextmanager
def together(builds: Sequence[Build], person_id: int) -> Iterator[None]:
    """Read the rows of these person-keyed queries (as `person_rows` would) in one round trip
    to PostgreSQL; inside the block, `person_rows(build, person_id)` takes its rows from here.

    A page of fifteen small queries spent more time sending each and waiting for its answer
    than PostgreSQL spent running them (issue 11: 4.8 → 2.3 ms for the whole record's).
    Elsewhere (SQLite) this does nothing and each read runs as before. Rows nobody took are
    forgotten when the block ends, so nothing read here outlives the request's reading."""
    connection = connections[DEFAULT_DB_ALIAS]
    if len(builds) < 2 or not _one_round_trip(connection):
        yield
        return
    ids = {_PERSON_WRITTEN: person_id}
    key_ids = tuple(sorted(ids.items()))
    written = [(build, _written(build, _person_writer(build), connection)) for build in builds]
    results = _sent_together(connection, [w for _, w in written], ids)
    if len(results) != len(written):
        raise RuntimeError(f"{len(written)} queries sent together, {len(results)} answers")
    ready: dict[Any, Any] = connection.__dict__.setdefault(_READY, {})
    keys = [(build, key_ids) for build, _ in written]
    for key, (_, w), rows in zip(keys, written, results, strict=True):
        ready[key] = _converted(w, rows, connection)
    try:
        yield
    finally:
        for key in keys:
            ready.pop(key, None)


def rows(
    key: Any,
    build: Callable[[list[int]], QuerySet[Any]],
    ids: list[int],
    *,
    stand_in: int = _IDS_WRITTEN,
) -> list[tuple[Any, ...]]:
    """The rows `build(ids)` gives (a values_list queryset naming rows by each of `ids`), as
    tuples, in one query. `key` names the query's shape (with the number of ids): `build` is
    called once per connection and key, with stand-ins for the ids (counting down from
    `stand_in`)."""
    stand_ins = [stand_in - i for i in range(len(ids))]
    what = getattr(key, "__qualname__", str(key))
    return _run(
        (key, len(ids)),
        lambda alias: _write(build(stand_ins), set(stand_ins), alias, what),
        dict(zip(stand_ins, ids, strict=True)),
    )


def _person_writer(build: Build) -> Callable[[str], _Written]:
    return lambda alias: _write(
        build(_PERSON_WRITTEN), {_PERSON_WRITTEN}, alias, build.__qualname__
    )


def person_rows(build: Build, person_id: int) -> list[tuple[Any, ...]]:
    """The rows `build(person_id)` gives (a values_list queryset), as tuples, in one query
    (or from `together`, when it read them ahead).

    `build` is a module-level function naming the person by id; it is called once per
    connection, with a stand-in id."""
    return _run(build, _person_writer(build), {_PERSON_WRITTEN: person_id})


def rows_for_ids(build: BuildForMany, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows `build(ids)` gives (a values_list queryset naming rows by a list of distinct
    ids: organisations, conversations), as tuples, in one query: written once for each number
    of ids."""
    return rows(build, build, ids)


def user_rows(
    build: Callable[[int, list[int]], QuerySet[Any]], user_id: int, organisation_ids: list[int]
) -> list[tuple[Any, ...]]:
    """The rows `build(user_id, organisation_ids)` gives (a values_list queryset naming a user
    and organisations by id), as tuples, in one query: written once for each number of
    organisations."""
    stand_ins = [_IDS_WRITTEN - i for i in range(len(organisation_ids))]
    ids = dict(zip(stand_ins, organisation_ids, strict=True))
    ids[_USER_WRITTEN] = user_id
    return _run(
        (build, len(organisation_ids)),
        lambda alias: _write(build(_USER_WRITTEN, stand_ins), set(ids), alias, build.__qualname__),
        ids,
    )


def columns(model: type[Model]) -> list[str]:
    """Every column of `model`, in the order `instances` reads them."""
    return [field.attname for field in model._meta.concrete_fields]


def instances(model: type[_M], rows: list[tuple[Any, ...]]) -> list[_M]:
    """Model instances from rows of `columns(model)`, as the ORM makes them from a query."""
    names = columns(model)
    return [model.from_db(DEFAULT_DB_ALIAS, names, row) for row in rows]


def one(model: type[_M], pk: int, *, related: tuple[str, ...] = ()) -> _M | None:
    """The row of `model` with this primary key, or None, with each of `related` (forward
    foreign keys) read in the same query and cached on it as `select_related` leaves them:
    written by the ORM once per connection. A page about one thing (an exercise) asks this
    on every request; `get_object_or_404(Model.objects.select_related(...))` put the query
    together each time (about 1,500 Python calls)."""
    models: list[Any] = [model, *(model._meta.get_field(name).related_model for name in related)]
    parts = [(part, columns(part)) for part in models]

    def build(ids: list[int]) -> QuerySet[Any]:
        names = list(parts[0][1])
        for name, (_, their) in zip(related, parts[1:], strict=True):
            names += [f"{name}__{column}" for column in their]
        return model._default_manager.filter(pk=ids[0]).values_list(*names)

    narrow = model._meta.pk.get_internal_type() in _INT4_KEYS
    stand_in = _INT4_IDS_WRITTEN if narrow else _IDS_WRITTEN
    found = rows(("one", model, related), build, [pk], stand_in=stand_in)
    if not found:
        return None
    row, start = found[0], 0
    made = []
    for part_model, their in parts:
        values = row[start : start + len(their)]
        start += len(their)
        pk_index = their.index(part_model._meta.pk.attname)
        made.append(
            None
            if values[pk_index] is None
            else part_model.from_db(DEFAULT_DB_ALIAS, their, values)
        )
    instance: Any = made[0]
    for name, related_instance in zip(related, made[1:], strict=True):
        field: Any = model._meta.get_field(name)
        field.set_cached_value(instance, related_instance)
    return instance


# --- queries naming their rows by other values ------------------------------------------------
# A report's public token (a string), a service's UUID, a big integer the PostgreSQL backend
# hands psycopg wrapped (Int8): the query is written with stand-ins no real row has, found among
# the parameters by equality (a UUID also as the hex SQLite stores), and each request puts the
# real values in their places, in the form the ORM gave the stand-in.


def _value_stand_in(value: Any, n: int) -> Any:
    if isinstance(value, str):
        return f"written stand-in {n}: nothing is named like this"
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=(0xA10_6051DE << 88) + n)
    if isinstance(value, int) and not isinstance(value, bool):
        return _IDS_WRITTEN - 5000 - n
    raise TypeError(f"no stand-in for a {type(value).__name__}")


def _is(param: Any, stand_in: Any) -> bool:
    if isinstance(stand_in, uuid.UUID):
        return param == stand_in or param == stand_in.hex
    return isinstance(param, type(stand_in)) and not isinstance(param, bool) and param == stand_in


def _write_for_values(build: Callable[..., QuerySet[Any]], values: tuple[Any, ...]) -> _Written:
    stand_ins = [_value_stand_in(value, n) for n, value in enumerate(values)]
    written = _write(build(*stand_ins), set(), DEFAULT_DB_ALIAS, build.__qualname__)
    for stand_in in stand_ins:
        if sum(_is(p, stand_in) for p in written.params) != 1:
            raise RuntimeError(f"{build.__qualname__}'s query does not name each value once")
    return written


def _placed(written: _Written, stand_ins: list[Any], values: tuple[Any, ...]) -> list[Any]:
    params = list(written.params)
    for i, param in enumerate(params):
        for stand_in, value in zip(stand_ins, values, strict=True):
            if _is(param, stand_in):
                if isinstance(value, uuid.UUID):
                    params[i] = value.hex if isinstance(param, str) else value
                else:
                    params[i] = type(param)(value)  # the backend's own wrapper, as the ORM gave
    return params


def rows_by_values(build: Callable[..., QuerySet[Any]], *values: Any) -> list[tuple[Any, ...]]:
    """The rows `build(*values)` gives (a values_list queryset built by a module-level
    function naming its rows by each value once: strings, UUIDs, ids), as tuples, in one
    query: written once per connection for each kind and number of values."""
    connection = connections[DEFAULT_DB_ALIAS]
    kinds = tuple(type(value) for value in values)
    written = _written((build, kinds), lambda _: _write_for_values(build, values), connection)
    stand_ins = [_value_stand_in(value, n) for n, value in enumerate(values)]
    with connection.cursor() as cursor:
        cursor.execute(written.sql, _placed(written, stand_ins, values))
        rows = cursor.fetchall()
    return _converted(written, rows, connection)

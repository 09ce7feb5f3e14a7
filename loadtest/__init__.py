"""Load and fault tests against the production server (gunicorn, DEBUG off) on a real database.

    python -m loadtest.writes --clients 32 --seconds 60 \\
        --database-url postgres://postgres@127.0.0.1:5432/alongside_load

- `harness`: databases (fresh, or cloned from a cached PostgreSQL template), the server and
  worker processes, an HTTP client that signs in through the real forms, a TCP proxy that can
  take the database away. It never imports Django: Django runs only in the processes it starts.
- `prepare`: (a process of its own) migrate, seed the demo, and describe it for the clients.
- `worker`: `manage.py worker` with a quick stand-in for the sentence model, for the fault
  tests (the real model would make an import of thousands of rows take minutes).
- `writes`: many clients writing conversations, check-ins and spend requests while others
  approve spend requests against the same budgets; then every acknowledged write is looked
  for in the database.

Everything runs on 127.0.0.1 only, with hard limits on time and on the number of requests.
tests/test_load_without_loss.py, tests/test_faults.py and tests/test_two_app_servers.py use it.
"""

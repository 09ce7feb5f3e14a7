"""manage.py equalities_report."""

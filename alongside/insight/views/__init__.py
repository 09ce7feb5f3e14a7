"""The pages of area insight, one module per part (see insight/urls.py)."""

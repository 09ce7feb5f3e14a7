"""manage.py directory_export and directory_import."""

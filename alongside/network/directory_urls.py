"""The public directory under /directory/: no sign-in, works at 320 px without JavaScript."""

from .views.directory_public import urlpatterns

app_name = "directory"

__all__ = ["urlpatterns"]

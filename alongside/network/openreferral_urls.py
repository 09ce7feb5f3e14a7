"""The Open Referral UK API under /openreferral/: open, no key, any origin."""

from .views.openreferral import urlpatterns

app_name = "openreferral"

__all__ = ["urlpatterns"]

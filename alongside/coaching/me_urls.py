"""The person's own space, under /me/: their record in their words, and their rights."""

from .views import me_record, me_rights

app_name = "me"

urlpatterns = me_record.urlpatterns + me_rights.urlpatterns

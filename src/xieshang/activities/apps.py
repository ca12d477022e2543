from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "xieshang.activities"
    verbose_name = _("活动与考勤")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "xieshang.research"
    verbose_name = _("课题与学习")

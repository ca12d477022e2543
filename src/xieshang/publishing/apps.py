from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "xieshang.publishing"
    verbose_name = _("宣传与出版")

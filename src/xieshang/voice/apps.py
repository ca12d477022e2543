from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "xieshang.voice"
    verbose_name = _("群众建言与网络议政")

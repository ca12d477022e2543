from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "xieshang.tasks"
    label = "deployed_tasks"
    verbose_name = _("工作部署督办")

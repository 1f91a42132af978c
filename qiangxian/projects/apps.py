from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "qiangxian.projects"
    label = "projects"
    verbose_name = "项目"

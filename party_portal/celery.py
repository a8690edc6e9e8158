import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")

app = Celery("party_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _mark_task_door(sender, **kwargs):
    from celery.signals import task_prerun

    from party_portal.doors import TASK, set_process_door

    task_prerun.connect(lambda **kw: set_process_door(TASK), weak=False)

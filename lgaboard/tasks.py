"""Background tasks (Django's tasks API, django-tasks) of the portal itself, and enqueueing tasks so
that a worker never starts on work whose rows are not yet committed."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend


def enqueue_with_transaction(task, *args, **kwargs) -> None:
    """Enqueue `task` as part of the current transaction: the database backend stores it in the same
    transaction (a worker sees it only once committed, and never if rolled back), the immediate
    backend (tests) runs it at once, the dummy one (tests) keeps it; any other queue (Redis) is
    given it only after the commit."""
    if isinstance(task.get_backend(), DatabaseBackend | ImmediateBackend | DummyBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=False)


@task()
def send_email(subject: str, body: str, to: list[str], from_email: str | None = None) -> None:
    """Send one plain-text e-mail from the worker: no request waits for the mail server, and a
    failure is recorded as the task's (the worker logs it) rather than shown to anyone."""
    EmailMultiAlternatives(subject, body, from_email, to).send()

"""Background work of the meetings app, run by a worker through Django's tasks API (django-tasks):
each task takes ids (its arguments travel as JSON) and calls a service, which does the work."""

from django_tasks import task

from . import notifications, services


@task()
def publish_pack(publishing_id: int) -> None:
    """Lay out, store and publish the pack a clerk asked for (services.publishing_run)."""
    services.publishing_run(publishing_id=publishing_id)


@task()
def send_subscription_message(subscription_id: int) -> None:
    """Send the message that confirms an address for the public's alerts (or says it already is)."""
    notifications.subscription_message_send(subscription_id=subscription_id)


@task()
def send_notification(notification_id: int) -> None:
    """Send one recorded e-mail telling a person that papers are out (notifications.notification_send)."""
    notifications.notification_send(notification_id=notification_id)

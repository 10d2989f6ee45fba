"""Sending e-mail without making the person who asked for it wait, or showing them whether it went."""

from django.http import HttpResponseRedirect


class RedirectThenSend(HttpResponseRedirect):
    """A redirect whose e-mails are sent when the server closes it, after delivering it: WSGI and
    ASGI servers (and Django's test client) call `close()` once the response has been written.
    Each send is a callable that logs its own failure (Django's PasswordResetForm.send_mail does)."""

    def __init__(self, redirect_to, *, sends):
        super().__init__(redirect_to)
        self.sends = list(sends)

    def close(self):
        sends, self.sends = self.sends, []
        try:
            for send in sends:
                send()
        finally:
            super().close()

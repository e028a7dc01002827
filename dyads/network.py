"""The client's address, decided in one place for every use: throttles, django-axes'
lock-out (AXES_CLIENT_IP_CALLABLE) and the access log.

With TRUSTED_PROXY_COUNT = 0 (the default) the address is the connection's own
(REMOTE_ADDR) and X-Forwarded-For is ignored: anyone may send that header. Behind
N reverse proxies, each appends the address it received the request from, so the
client's is the N-th entry from the end; the entries before it are the client's own
claims and are never used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote

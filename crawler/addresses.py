"""Which addresses the crawler may connect to: the one place that decides.

termwatch fetches the URLs of its registry and follows the redirects of sites it does not
control, from a machine that may sit next to a cloud metadata service or an admin console.
A page that redirects to ``http://169.254.169.254/latest/meta-data/`` must not have the
answer stored and published as its terms. So, whatever the spelling of the address:

- **never** a link-local address (169.254.0.0/16, fe80::/10: where cloud metadata services
  answer), a cloud metadata address outside them (``fd00:ec2::254``, ``100.100.100.200``),
  an unspecified (``0.0.0.0``, which Linux connects to this machine) or multicast one;
- a **loopback or private** address (127.0.0.0/8, 10/8, 192.168/16, fc00::/7, ...) only for
  a host and port the registry itself names, and only when ``TERMWATCH_ALLOW_PRIVATE_HOSTS=1``
  is set (tests, a mirror on the local network);
- any **public** address.

The same rule judges the registry's URLs and every request of a crawl: robots.txt, HTTP
redirects and ``<meta http-equiv=refresh>`` alike, so a redirect may lead only to a public
address or to a host the registry names. Numeric spellings (``http://2852039166/``,
``0xa9.0xfe.0xa9.0xfe``, ``0251.0376.0251.0376``) are read by the system's own address
parser, the one a connection uses; an IPv6 address that embeds an IPv4 one
(``[::ffff:169.254.169.254]``, 6to4, NAT64) is judged as that IPv4 address.

``crawler.middlewares.AddressPolicyMiddleware`` applies this to a crawl.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import urlsplit

from termwatch.crawler.registry import Registry

IPAddress = IPv4Address | IPv6Address

ALLOW_PRIVATE_HOSTS = "TERMWATCH_ALLOW_PRIVATE_HOSTS"

# Cloud metadata services outside the link-local ranges: AWS's IPv6 endpoint, Alibaba Cloud's.
METADATA_ADDRESSES = frozenset({ip_address("fd00:ec2::254"), ip_address("100.100.100.200")})
# NAT64 (RFC 6052): the last 32 bits are an IPv4 address. Python 3.11 does not know it.
NAT64 = ip_network("64:ff9b::/96")

DEFAULT_PORTS = {"http": 80, "https": 443}


def authority(url: str) -> str:
    """``https://Example.com/terms`` -> ``example.com:443``: the host and port a URL connects to."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{parts.port or DEFAULT_PORTS.get(parts.scheme, 0)}"


def literal_address(host: str) -> IPAddress | None:
    """The address a host name spells out (``2852039166`` is 169.254.169.254), or None.

    Read by ``getaddrinfo`` without DNS (``AI_NUMERICHOST``): the parser a connection uses,
    which accepts the decimal, hex and octal forms that ``ipaddress`` rejects.
    """
    try:
        info = socket.getaddrinfo(host.strip("[]"), None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return ip_address(info[0][4][0].split("%", 1)[0])


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), else the address itself."""
    if isinstance(address, IPv4Address):
        return address
    if address in NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour or address


def never_fetched(address: IPAddress) -> bool:
    """Link-local, cloud metadata, unspecified or multicast: refused whatever the registry says."""
    return (
        address in METADATA_ADDRESSES
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
    )


def private_hosts_allowed(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(ALLOW_PRIVATE_HOSTS) == "1"


@dataclass(frozen=True)
class AddressPolicy:
    """The rule above, for one registry: the authorities it names, and the private-hosts switch."""

    registry_authorities: frozenset[str]
    allow_private: bool

    @classmethod
    def for_urls(
        cls, urls: Iterable[str], environ: Mapping[str, str] = os.environ
    ) -> AddressPolicy:
        return cls(frozenset(authority(url) for url in urls), private_hosts_allowed(environ))

    def refusal(self, url: str, address: IPAddress) -> str | None:
        """Why ``url`` must not be fetched from ``address`` (one line), or None if it may."""
        embedded = embedded_ipv4(address)
        shown = f"{address} (that is {embedded})" if embedded != address else str(address)
        if never_fetched(embedded):
            return (
                f"{url} leads to {shown}, a link-local or cloud-metadata address: "
                "termwatch never fetches those"
            )
        if embedded.is_global:
            return None
        if authority(url) not in self.registry_authorities:
            return (
                f"{url} leads to {shown}, a private or loopback address of a host the "
                "registry does not name (a redirect into the local network?)"
            )
        if not self.allow_private:
            return (
                f"{url} leads to {shown}, a private or loopback address (set "
                f"{ALLOW_PRIVATE_HOSTS}=1 to crawl a host of your own network)"
            )
        return None


def address_problems(registry: Registry, only: Sequence[str] = ()) -> list[str]:
    """One line per registry URL whose host is an address the crawler refuses.

    Only addresses written in the URL (in any spelling) are judged here, without resolving
    names, so that checking the registry works offline; a name is judged once resolved, when
    the crawl connects.
    """
    policy = AddressPolicy.for_urls(registry.source_urls())
    return [
        f"{service.slug}/{document.type}: {refusal}"
        for service, document in registry.documents(only)
        for source in document.sources
        if (address := literal_address(source.url.host or ""))
        and (refusal := policy.refusal(str(source.url), address))
    ]

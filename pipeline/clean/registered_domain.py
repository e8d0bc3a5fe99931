"""The registered domain ("site") of a URL, by a small eTLD+1 heuristic, vectorised with Arrow.

`https://news.bbc.co.uk/a` -> `bbc.co.uk`, `http://www.example.com:8080/x` -> `example.com`.
The host is lower-cased and its port dropped; the registered domain is the last two labels, or the
last three when the last two are a known multi-part public suffix (`co.uk`, `com.au`, ...). No
network access and no large dependency: the built-in suffix list covers the common country-code
second levels; a rare suffix that is missing only merges sites that share it (`a.example.zz` and
`b.example.zz` stay apart, `x.gov.zz` and `y.gov.zz` become one "site" `gov.zz`). IP addresses
are their own site. URLs without a host give an empty string.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

_SUFFIX_LIST = """
    co.uk org.uk ac.uk gov.uk ltd.uk plc.uk me.uk net.uk nhs.uk sch.uk police.uk com.au net.au
    org.au edu.au gov.au asn.au id.au co.nz org.nz net.nz govt.nz ac.nz school.nz co.za org.za
    gov.za ac.za co.jp or.jp ne.jp ac.jp go.jp co.kr or.kr go.kr ac.kr co.in net.in org.in
    gov.in ac.in edu.in firm.in gen.in ind.in com.br net.br org.br gov.br edu.br com.cn net.cn
    org.cn gov.cn edu.cn com.hk org.hk edu.hk gov.hk com.tw org.tw edu.tw gov.tw com.sg org.sg
    edu.sg gov.sg com.my org.my gov.my edu.my co.id or.id go.id ac.id web.id com.ph org.ph
    gov.ph edu.ph com.mx org.mx gob.mx edu.mx com.ar org.ar gob.ar com.co org.co gov.co com.pe
    gob.pe com.tr org.tr gov.tr edu.tr com.ua org.ua gov.ua co.il org.il gov.il ac.il com.eg
    gov.eg com.sa gov.sa com.pk org.pk gov.pk com.ng gov.ng co.ke or.ke go.ke co.th or.th go.th
    ac.th com.vn gov.vn com.pl org.pl gov.pl co.at or.at gv.at com.es org.es gob.es com.pt
    gov.pt com.gr gov.gr co.hu com.ru org.ru msk.ru spb.ru com.de blogspot.com github.io
    herokuapp.com appspot.com wordpress.com substack.com medium.com tumblr.com
"""
MULTI_PART_SUFFIXES: tuple[str, ...] = tuple(_SUFFIX_LIST.split())
HOST = r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#@]*@)?(?P<host>\[[^\]]*\]|[^/?#:]+)"
IPV4 = r"^\d{1,3}(?:\.\d{1,3}){3}$"


def _domain_pattern() -> str:
    suffixes = "|".join(s.replace(".", r"\.") for s in MULTI_PART_SUFFIXES)
    return rf"(?P<domain>[^.]+\.(?:{suffixes}|[^.]+))$"


DOMAIN = _domain_pattern()


def registered_domains(urls: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The registered domain of every URL (empty string when there is no host)."""
    if isinstance(urls, pa.ChunkedArray):
        urls = urls.combine_chunks() if urls.num_chunks else pa.array([], pa.string())
    urls = pc.fill_null(urls.cast(pa.string()), "")
    host = pc.struct_field(pc.extract_regex(urls, pattern=HOST), "host")
    host = pc.utf8_lower(pc.fill_null(host, ""))
    host = pc.utf8_rtrim(host, characters=".")
    domain = pc.struct_field(pc.extract_regex(host, pattern=DOMAIN), "domain")
    is_ip = pc.match_substring_regex(host, pattern=IPV4)
    plain = pc.fill_null(domain, host)  # a single-label host ("localhost") is its own site
    return pc.if_else(is_ip, host, plain)

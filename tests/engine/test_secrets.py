"""The one secret masker: JSON values, URLs, and text that could not be parsed or was cut off."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.secrets import is_plain, mask_header, mask_json, mask_query, mask_text, mask_url
from simulator.traffic.journal import RawBody, body_for_journal


def test_json_secret_keys_header_maps_env_and_scripts():
    value = {
        "callbacks": [{"url": "http://u:pw-1@h/x", "headers": [{"key": "X-Token", "value": "hdr-1"}]}],
        "auth": {"id": "me", "password": "pw-2", "authToken": "tok-3"},
        "container": {"environment_variables": {"A": "env-4"}, "startup_script": "echo s-5",
                      "docker_auth": {"server": "r", "login": "ci", "password": "pw-6"}},
        "custom_headers": {"X-Key": "ch-7"},
        "memo": "plain", "count": 3, "empty_password": "",
    }
    masked = mask_json(value)
    assert masked == {
        "callbacks": [{"url": "http://u:***@h/x", "headers": [{"key": "X-Token", "value": "***"}]}],
        "auth": {"id": "me", "password": "***", "authToken": "***"},
        "container": {"environment_variables": {"A": "***"}, "startup_script": "***",
                      "docker_auth": {"server": "r", "login": "ci", "password": "***"}},
        "custom_headers": {"X-Key": "***"},
        "memo": "plain", "count": 3, "empty_password": "",
    }
    assert value["auth"]["password"] == "pw-2"  # a copy: the stored value is untouched


def test_urls_keep_everything_but_the_password_and_secret_parameters():
    assert mask_url("https://user:tok@host:8443/p?api_key=k&region=eu#f") == \
        "https://user:***@host:8443/p?api_key=***&region=eu#f"
    assert mask_url("https://host/p") == "https://host/p"
    assert mask_url("http://[::1]:8080/x?sig=abc") == "http://[::1]:8080/x?sig=***"
    assert mask_url("https://user:tok@host:99999/") == "https://user:***@host:99999/"  # a bad port is still masked
    assert mask_url("https://u:p@h/", mask="********") == "https://u:********@h/"


def test_text_masks_urls_parameters_and_json_shapes_even_when_cut_off():
    text = ('see https://a:tok-1@git.example.com/x and db=postgres://u:pw-2@h/db?token=t-3&x=1 '
            '{"password": "pw-4", "key": "X-H", "value": "hv-5", "env": {"A": "e-6", "B": "e-7"}, '
            '"startup_script": "echo \\"s-8\\"", "api_key": "cut-of')
    masked = mask_text(text)
    for secret in ("tok-1", "pw-2", "t-3", "pw-4", "hv-5", "e-6", "e-7", "s-8", "cut-of"):
        assert secret not in masked, secret
    assert '"key": "X-H"' in masked and "x=1" in masked and "git.example.com/x" in masked
    sql = "SELECT * FROM t WHERE api_key=5 AND author='x'"  # not a URL: its pairs are not parameters
    assert mask_text(sql) == sql
    assert mask_query("a=1&api_key=k&Token=&sig=s") == "a=1&api_key=***&Token=&sig=***"


def test_journal_bodies_masked_whatever_their_shape():
    secret_json = {"callbacks": [{"headers": [{"key": "X-H", "value": "hv-1"}]}], "memo": "m" * 10_000}
    raw = json.dumps(secret_json).encode()
    assert "hv-1" not in json.dumps(body_for_journal(raw, "application/json", 4096))
    assert "hv-1" not in RawBody(raw[:4097], len(raw), "application/json").decode(4096)  # cut at the limit
    broken = b'{"memo": "https://u:tok-2@h/x", "password": "pw-3"'  # not JSON
    assert "tok-2" not in body_for_journal(broken, "application/json", 4096)
    assert "pw-3" not in body_for_journal(broken, "application/json", 4096)
    assert "tok-2" not in body_for_journal(broken, "text/plain", 4096)
    deep = b"[" * 100_000 + b"]" * 100_000  # too deep to walk: kept as text, never an error
    assert body_for_journal(deep, "application/json", 100).startswith("[[[")


def test_credential_headers_keep_their_scheme():
    assert mask_header("Authorization", "Bearer abc") == "Bearer ***"
    assert mask_header("X-API-Key", "abc") == "***"
    assert mask_header("Accept", "application/json") == "application/json"


def test_json_text_inside_a_string_is_masked_too():
    sql = """CREATE TABLE t (x INT) WITH ('connectors' = '[{"transport": {"name": "kafka_input",
        "config": {"bootstrap.servers": "k:9092", "sasl.password": "kafka-pw-1"}}}]')"""
    masked = mask_json({"program_code": sql})["program_code"]
    assert "kafka-pw-1" not in masked and '"bootstrap.servers": "k:9092"' in masked


# --- is_plain: the export's test for "masking would change nothing", so it can skip the copy ---------

NAMES = ["memo", "url", "toolType", "password", "apiKey", "X-Token", "headers", "env", "ENV", "custom_headers",
         "environment_variables", "startup_script", "key", "value", "name", "misspelled_request_key", "max_tokens",
         "cookie_jar", "ſecret", "to\u212aen", "1001", ""]
STRINGS = ["plain", "https://example.com/x.git", "https://u:pw@h/x", "http://h/x?api_key=k&a=1", "http://h/x?a=1",
           'say "hi"', '{"password": "p"}', "a=b", "x@y", "é", "", "***"]


def _json_values(keys, strings):
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), strings)
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=5), st.dictionaries(st.integers(), inner, max_size=2),
        st.lists(st.fixed_dictionaries({"key": strings, "value": strings}), max_size=2)), max_leaves=25)


json_values = _json_values(st.one_of(st.sampled_from(NAMES), st.text(max_size=6)),
                           st.one_of(st.sampled_from(STRINGS), st.text(max_size=8)))
# mostly what masking leaves alone, to reach deep into is_plain's yes
mostly_plain = _json_values(st.sampled_from(["memo", "url", "name", "value", "1001", "a", "ſecret"]),
                            st.sampled_from(["plain", "https://example.com/x", "a=b", "x@y", "é", "", 'say "hi"',
                                             "https://u:pw@h/x"]))


def _identical(left, right) -> bool:
    """Equal, of the same types all the way down (a tuple is no list), NaN equal to itself."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_identical(left[k], right[k]) for k in left)
    if isinstance(left, (list, tuple)):
        return len(left) == len(right) and all(_identical(a, b) for a, b in zip(left, right, strict=True))
    return repr(left) == repr(right)


@settings(max_examples=600, deadline=None)
@given(st.one_of(json_values, mostly_plain))
def test_is_plain_only_when_masking_gives_an_identical_copy(value):
    if is_plain(value):
        assert _identical(mask_json(value), value)


def test_is_plain_says_so_for_the_usual_resource_and_no_for_every_kind_of_secret():
    fields = {"toolType": "SAST", "memo": None, "resultVersion": 2, "callbacks": [], "requestId": 5001,
              "source": {"type": "VCS", "url": "https://example.com/demo.git"}, "window": [1.5, 2.5]}
    assert is_plain(fields) and is_plain([fields, "x", 1, None])
    for secret in ({"password": "p"}, {"headers": {"a": "b"}}, {"startup_script": "x"}, {"n": "https://u:p@h/"},
                   {"n": ["http://h/?token=t"]}, {"n": '{"api_key": "k"}'}, {"n": [{"key": "k", "value": "v"}]},
                   {"callbacks": [{"headers": [{"key": "X", "value": "v"}]}]}, {"to\u212aen": "t"}):
        assert not is_plain({**fields, "extra": secret}), secret
    assert not is_plain({"window": (1, 2)})  # a tuple: the copy makes it a list

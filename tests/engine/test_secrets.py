"""The one secret masker: JSON values, URLs, and text that could not be parsed or was cut off."""
import json

from simulator.engine.secrets import mask_header, mask_json, mask_query, mask_text, mask_url
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

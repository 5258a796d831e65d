"""The export's fast YAML writer writes exactly what yaml.safe_dump writes, whatever the plain data."""
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.secrets import is_plain_key, mask_json
from simulator.engine.yamldump import dump_items, dump_mapping, item_if_plain, mapping_if_plain

# Strings drawn to hit the writer's edges: words that read back as other types, indicators, spaces,
# colons, comments, quotes, long and multi-line text, non-ASCII.
WORDS = ["true", "no", "null", "~", "123", "1.5", "0x1f", "1e3", ".inf", "2026-01-01", "2026-01-01T00:00:00Z",
         "a: b", "a:b", "#x", "a #x", "- x", "-x", "'q'", '"q"', "x y", "  lead", "trail ", "é", "a\nb", "",
         "https://u:p@h/x?y=1", "*a", "&a", "!t", "%x", "@x", "`x", "[a]", "{a}", "a,b", "?x", "|", ">"]
text = st.one_of(st.sampled_from(WORDS), st.text(max_size=12), st.text(alphabet="ab :-_/.#'", max_size=100))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text)
plain = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(text, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.lists(plain, max_size=4))
def test_fast_writer_writes_what_pyyaml_writes(entries):
    assert dump_items(entries) == yaml.safe_dump(entries, sort_keys=False, allow_unicode=True)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(text, plain, max_size=5))
def test_fast_mapping_writer_writes_what_pyyaml_writes(mapping):
    assert dump_mapping(mapping) == yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)


def test_an_export_entry_reads_back_as_written():
    entry = {"vendor": "sparrow", "kind": "analysis", "id": "1001", "state": "ANALYSIS", "remaining": 86399.5,
             "entered": "2026-01-01T00:00:00.000000Z", "fields": {"memo": None, "callbacks": [], "n": [1, 2.0],
                                                                  "source": {"url": "https://example.com/x.git"}}}
    written = dump_items([entry])
    assert written.startswith("- vendor: sparrow\n  kind: analysis\n  id: '1001'\n")
    assert yaml.safe_load(written) == [entry]


# The export writes an entry under the namespace's lock without copying it when masking would leave it
# as it is: keys a rule refuses (a secret's, a header map's), and anything PyYAML must write, decline.
secret_keys = st.sampled_from(["password", "apiKey", "headers", "env", "startup_script", "X-Token", "ſecret", "key"])
secret_texts = st.sampled_from(["https://u:p@h/x", "http://h/x?token=t&a=1", '{"password": "p"}', "https://h/x"])
masked_data = st.recursive(st.one_of(scalars, secret_texts), lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=2).map(tuple),
    st.dictionaries(st.one_of(text, secret_keys), inner, max_size=4)), max_leaves=20)


def _every_key(key):
    return True


@settings(max_examples=400, deadline=None)
@given(masked_data)
def test_the_checked_writer_writes_the_masked_entry_or_declines(entry):
    written = item_if_plain(entry, is_plain_key)
    if written is not None:
        assert written == yaml.safe_dump([mask_json(entry)], sort_keys=False, allow_unicode=True)
    as_is = item_if_plain(entry, _every_key)  # (an export with its secrets: a tuple still declines)
    if as_is is not None:
        assert as_is == yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.one_of(text, secret_keys), masked_data, max_size=5))
def test_the_checked_mapping_writer_writes_the_masked_mapping_or_declines(mapping):
    written = mapping_if_plain(mapping, 6, is_plain_key)
    if written is not None:
        assert written == dump_mapping(mask_json(mapping), indent=6)


def test_the_checked_writer_declines_secrets_and_writes_the_usual_entry():
    entry = {"vendor": "sparrow", "id": "1001", "fields": {"memo": None, "source": {"url": "https://example.com/x"},
                                                           "window": [1.5, 2.5], "callbacks": []}}
    assert item_if_plain(entry, is_plain_key) == dump_items([entry])
    for secret in ({"password": "p"}, {"headers": {}}, {"url": "https://u:p@h/x"}, {"window": (1, 2)}):
        assert item_if_plain({**entry, "fields": secret}, is_plain_key) is None, secret

"""Fuzzing what comes from outside: recordings, totem.toml, the hub's signed content and
the kiosks' requests to the hub. Whatever arrives, the answer is the module's own one-line
error (or a valid result), never another exception. `make fuzz` runs these much longer.

Crashes these found are regular tests at the end of this file."""

from __future__ import annotations

import json
import math
import string
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from appliance.config import ConfigError, load_config, parse_config
from appliance.config.schema import SCHEMA
from appliance.content import load_content
from appliance.sync.content import ContentRefused, verified_content
from appliance.touch.decoder import DecoderError
from appliance.touch.evemu import EvemuError, EvemuParser, iter_events
from appliance.touch.gestures import CONTRACT_KINDS
from appliance.touch.pipeline import replay
from hub.signedrequest import Refused, check_signed_request
from hub.validation import ItemError, parse_item
from wire.content import ContentError, validate_content
from wire.protocol import (
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    b64,
    canonical_json,
    public_key_b64,
)

RECORDINGS = Path(__file__).resolve().parent.parent / "fixtures" / "touch"
SIZE = (1080, 1920)

# -- recordings: the evemu parser, decoder, transform and gestures together -------------------


def _recording_lines() -> list[list[str]]:
    out = []
    for events in sorted(RECORDINGS.glob("*.events")):
        desc = events.with_name(events.name.split(".")[0] + ".desc")
        out.append(desc.read_text().splitlines() + events.read_text().splitlines()[:150])
    return out


LINES = _recording_lines()
_token = st.one_of(
    st.sampled_from(
        ["nan", "inf", "-1", "1e308", "0", "ffffffff", "7fffffff", "-2147483648", "E:", "A:", "#"]
    ),
    st.text(string.hexdigits + "-.:# ", max_size=12),
    st.integers(-(2**70), 2**70).map(str),
)


@st.composite
def mutated_recording(draw) -> list[str]:
    lines = list(draw(st.sampled_from(LINES)))
    for _ in range(draw(st.integers(1, 8))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["field", "duplicate", "delete", "insert"]))
        fields = lines[index].split()
        if action == "field" and fields:
            fields[draw(st.integers(0, len(fields) - 1))] = draw(_token)
            lines[index] = " ".join(fields)
        elif action == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[index])
        elif action == "delete" and len(lines) > 1:
            del lines[index]
        else:
            lines.insert(index, draw(st.text(max_size=40)))
    return lines


@fuzz(0.5)
@given(lines=mutated_recording(), rotation=st.sampled_from([0, 90, 180, 270]))
def test_a_mutated_recording_gives_a_line_error_or_well_formed_gestures(lines, rotation):
    parser = EvemuParser()
    try:
        events = list(iter_events(lines, parser))
        if parser.description is None:
            return
        gestures = replay(parser.description, events, size=SIZE, rotation=rotation)
    except (EvemuError, DecoderError) as error:
        assert str(error) and "\n" not in str(error)
        return
    for gesture in gestures:
        assert 0 <= gesture.x < SIZE[0] and 0 <= gesture.y < SIZE[1]
        assert math.isfinite(gesture.t)
        if gesture.kind in CONTRACT_KINDS:  # what replay-touch prints: strict JSON
            json.dumps({"x": gesture.x, "y": gesture.y, "t": gesture.t}, allow_nan=False)


# -- totem.toml --------------------------------------------------------------------------------

_toml_scalar = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
)
_toml_value = st.recursive(_toml_scalar, lambda inner: st.lists(inner, max_size=6), max_leaves=20)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


@st.composite
def config_text(draw) -> str:
    lines = []
    for section, keys in SCHEMA.items():
        if not draw(st.booleans()):
            continue
        lines.append(f"[{section}]")
        for key in keys:
            if draw(st.booleans()):
                lines.append(f"{key} = {_toml(draw(_toml_value))}")
    return "\n".join(lines) + "\n"


@fuzz()
@given(text=config_text())
def test_any_value_for_any_key_is_accepted_or_one_sentence(text):
    try:
        config = parse_config(text)
    except ConfigError as error:
        assert error.located("en") and "\n" not in error.located("fr")
        return
    matrix = config.touch["matrix"]
    assert all(math.isfinite(float(v)) for v in matrix)


@fuzz()
@given(
    text=st.lists(
        st.sampled_from(list('[]{}=,."#\n ab1e') + ["[[", "\\u", "x = ", "[site]\n", "nan", "'''"]),
        max_size=120,
    ).map("".join)
)
def test_any_text_is_a_config_or_one_sentence(text):
    try:
        parse_config(text)
    except ConfigError as error:
        assert "\n" not in error.located("en")


@fuzz(0.3)
@given(data=st.binary(max_size=400))
def test_any_bytes_on_totemcfg_are_a_config_or_one_sentence(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("cfg") / "totem.toml"
    path.write_bytes(data)
    try:
        load_config(path)
    except ConfigError as error:
        assert "\n" not in error.located("en")


# -- the hub's signed content, as the kiosk checks it -----------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
DEMO = load_content(None)


@st.composite
def damaged_content(draw):
    """The demo content with a few values replaced by anything JSON can hold."""
    content = json.loads(json.dumps(DEMO))
    for _ in range(draw(st.integers(1, 4))):
        node = content
        for _ in range(draw(st.integers(0, 4))):
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            children = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
            if not children:
                break
            node = draw(st.sampled_from(children))[1]
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if keys:
            node[draw(st.sampled_from(keys))] = draw(_json)
    return content


@fuzz()
@given(content=st.one_of(_json, damaged_content()))
def test_any_content_is_valid_or_refused_with_a_reason(content):
    try:
        validate_content(content)
    except ContentError as error:
        assert str(error)


TOWN_HALL = Ed25519PrivateKey.generate()
TOWN_HALL_PUBLIC = public_key_b64(TOWN_HALL)


@fuzz()
@given(content=st.one_of(_json, damaged_content()), signed=st.booleans(), junk=st.text(max_size=90))
def test_signed_or_forged_content_is_verified_or_refused(content, signed, junk):
    signature = b64(TOWN_HALL.sign(canonical_json(content))) if signed else junk
    try:
        accepted, _ = verified_content(
            {"content": content, "signature": signature}, TOWN_HALL_PUBLIC
        )
    except ContentRefused as error:
        assert str(error)
        return
    assert signed and accepted == content


# -- the hub: a kiosk's signed request and its submissions ----------------------------------

_header_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xFF), max_size=80)


@fuzz()
@given(
    headers=st.fixed_dictionaries(
        {},
        optional={
            HEADER_KIOSK: st.one_of(_header_text, st.just("hall-01")),
            HEADER_TIMESTAMP: st.one_of(
                _header_text, st.integers(0, 2**40).map(str), st.just("²³")
            ),
            HEADER_NONCE: st.one_of(_header_text, st.just("ab" * 16)),
            HEADER_SIGNATURE: _header_text,
        },
    ),
    body=st.binary(max_size=200),
)
def test_any_request_headers_are_accepted_or_refused_with_a_status(headers, body):
    try:
        check_signed_request(
            "POST", "/api/v1/submissions", headers, body, 1_800_000_000, lambda k: TOWN_HALL_PUBLIC
        )
    except Refused as refusal:
        assert refusal.status == 401 and refusal.reason


_item = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.uuids().map(str), st.text(max_size=40), _json),
        "kind": st.one_of(st.sampled_from(["idea", "rating", "vote"]), _json),
        "kiosk_id": st.one_of(st.just("hall-01"), _json),
        "created_at": st.one_of(st.just("2026-12-02T10:00:00Z"), _json),
        "content_version": _json,
        "payload": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    k: _json | st.text(max_size=50)
                    for k in (
                        "text",
                        "category",
                        "service",
                        "stars",
                        "comment",
                        "consultation",
                        "choice",
                        "session",
                        "code",
                    )
                },
            ),
            _json,
        ),
    },
)


@fuzz()
@given(raw=st.one_of(_item, _json))
def test_any_submission_item_is_parsed_or_rejected_alone(raw):
    try:
        item = parse_item(raw, "hall-01")
    except ItemError as error:
        assert str(error)
        return
    assert item.kiosk_id == "hall-01" and item.kind in ("idea", "rating", "vote")


# -- what fuzzing found, kept as regular tests ------------------------------------------------


def test_a_timestamp_of_superscript_digits_is_refused_not_a_crash():
    # "²".isdigit() is True but int("²") fails: the hub answered 500 with a traceback.
    headers = {
        HEADER_KIOSK: "hall-01",
        HEADER_TIMESTAMP: "²³",
        HEADER_NONCE: "ab" * 16,
        HEADER_SIGNATURE: "x",
    }
    with pytest.raises(Refused, match="malformed timestamp"):
        check_signed_request("POST", "/p", headers, b"", 0, lambda k: TOWN_HALL_PUBLIC)


def test_a_matrix_of_nan_from_totem_toml_is_refused_not_a_dead_touch_reader():
    with pytest.raises(ConfigError, match="finite"):
        parse_config("[touch]\nmatrix = [nan, 0, 0, 0, 1, 0]\n")


def test_a_list_inside_the_languages_is_refused_not_a_type_error():
    # `languages = [[]]` stopped `totem config check` and the kiosk with "unhashable type".
    with pytest.raises(ConfigError, match="site.languages"):
        parse_config("[site]\nlanguages = [[]]\n")


def test_a_number_or_a_boolean_is_no_ip_address():
    # Fuzzing found `allow_ips = [true]` admitted as 0.0.0.1 (ipaddress takes integers).
    for text in ("[network]\nallow_ips = [true]\n", "[network]\ndns = [1]\n"):
        with pytest.raises(ConfigError, match="is not one"):
            parse_config(text)

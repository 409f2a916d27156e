"""A careless or hostile totem.toml is refused with one sentence naming the key and line:
numbers a panel cannot use, files nested or sized to break the reader, an allow-list opened
to the whole internet, and a "CA bundle" that is some other file."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tls_support import town_hall_pki

from appliance.cli import main
from appliance.config import MAX_BYTES, ConfigError, load_config, parse_config
from appliance.netpolicy.suffixes import installed_rules, is_public_suffix, parse_rules

needs_public_suffixes = pytest.mark.skipif(
    installed_rules() is None,
    reason="Debian's public suffix list is not installed (apt install publicsuffix)",
)


def refused(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as error:
        parse_config(text)
    return error.value


def check(path: Path, *extra: str, capsys) -> tuple[int, str, str]:
    code = main(["config", "check", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


# -- 1. a calibration matrix the panel could not use ----------------------------------------


@pytest.mark.parametrize(
    ("matrix", "complaint"),
    [
        ("[nan, 0, 0, 0, 1, 0]", "finite"),
        ("[1, 0, inf, 0, 1, 0]", "finite"),
        ("[1, 0, 0, 0, -inf, 0]", "finite"),
        ("[1e308, 0, 0, 0, 1, 0]", "between -10 and 10"),
        ("[1, 0, 0, 0, 1, 9223372036854775807]", "between -10 and 10"),
        ("[0, 0, 0, 0, 0, 0]", "onto a line"),
        ("[1, 2, 0, 2, 4, 0]", "onto a line"),
    ],
)
def test_a_matrix_that_would_kill_or_flatten_touch_is_refused_naming_key_and_line(
    matrix, complaint
):
    error = refused(f"[site]\nname = 'x'\n\n[touch]\nmatrix = {matrix}\n")
    assert (error.key, error.line) == ("touch.matrix", 5)
    assert complaint in error.located("en")
    assert error.located("fr").startswith("touch.matrix (ligne 5) : ")


def test_real_calibrations_and_rotations_still_pass():
    for matrix in (
        "[0.95, 0.02, 0.03, -0.01, 1.04, -0.02]",
        "[-1, 0, 1, 0, 1, 0]",
        "[0, 1, 0, 1, 0, 0]",
    ):
        assert parse_config(f"[touch]\nmatrix = {matrix}\n").touch["matrix"]


def test_replay_touch_refuses_a_non_finite_matrix_as_a_usage_error(capsys):
    for matrix in ("nan,0,0,0,1,0", "1,0,0,0,1,inf", "1e308,0,0,0,1,0", "0,0,0,0,0,0"):
        with pytest.raises(SystemExit) as exit_status:
            main(["replay-touch", "any.events", "--matrix", matrix])
        assert exit_status.value.code == 2
        assert "--matrix" in capsys.readouterr().err


# -- 2. files built to break the reader -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "[site]\nname = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
        "[site]\nname = [[[[[[1]]]]]]\n",
    ],
    ids=["lists-5000-deep", "tables-3000-deep", "lists-6-deep"],
)
def test_deeply_nested_values_are_one_sentence_not_a_recursion_error(text):
    assert "nested too deeply" in refused(text).located("en")


def test_a_huge_file_is_refused_before_it_is_read_whole(tmp_path, capsys):
    big = tmp_path / "totem.toml"
    big.write_text("# padding\n" * (MAX_BYTES // 10 + 1))
    code, _, err = check(big, capsys=capsys)
    assert code == 1 and "larger than 64 KB" in err and err.count("\n") == 1
    code, _, err = check(Path("/dev/zero"), capsys=capsys)
    assert code == 1 and "larger than 64 KB" in err


def test_a_folder_is_not_a_totem_toml(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


# -- 3. an allow-list opened to everything --------------------------------------------------


@pytest.mark.parametrize(
    ("allow", "complaint"),
    [
        ('["*"]', 'network.allow[0] (line 2): "*" would admit every site'),
        ('["*.fr", "*.com"]', 'network.allow[0] (line 2): "*.fr" would admit a whole top-level'),
        ('["www.ville.fr", "*.com"]', 'network.allow[1] (line 2): "*.com" would admit'),
    ],
)
def test_wildcards_over_everything_or_a_top_level_domain_are_refused(allow, complaint):
    error = refused(f"[network]\nallow = {allow}\n")
    assert error.located("en").startswith(complaint)


@needs_public_suffixes
@pytest.mark.parametrize("suffix", ["gouv.fr", "co.uk", "github.io", "asso.fr"])
def test_a_wildcard_over_a_public_suffix_is_refused(suffix):
    error = refused(f'[network]\nallow = ["*.{suffix}"]\n')
    assert f'public suffix "{suffix}"' in error.located("en")
    assert "suffixe public" in error.located("fr")


@needs_public_suffixes
def test_a_town_halls_own_domain_and_single_sites_under_a_suffix_pass():
    config = parse_config('[network]\nallow = ["*.saint-exemple.fr", "www.service-public.fr"]\n')
    assert config.network["allow"] == ("*.saint-exemple.fr", "www.service-public.fr")


def test_public_suffix_rules_follow_wildcards_and_exceptions():
    rules = parse_rules("// comment\nfr\ngouv.fr\n*.ck\n!www.ck\nxn--p1ai\nрф\n")
    assert is_public_suffix("gouv.fr", rules) and is_public_suffix("fr", rules)
    assert is_public_suffix("anything.ck", rules) and not is_public_suffix("www.ck", rules)
    assert not is_public_suffix("ville.fr", rules)
    assert is_public_suffix("xn--p1ai", rules)
    assert is_public_suffix("com", None)  # a top-level domain, even without the list


def test_any_address_ranges_are_refused_and_wide_ones_warned(tmp_path, capsys):
    for network in ("0.0.0.0/0", "::/0"):
        error = refused(f'[network]\nallow_ips = ["192.0.2.1", "{network}"]\n')
        assert (error.key, error.line) == ("network.allow_ips[1]", 2)
        assert "every address" in error.located("en")
        assert "toutes les adresses" in error.located("fr")
    path = tmp_path / "totem.toml"
    path.write_text('[network]\nallow_ips = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.0/24"]\n')
    code, out, _ = check(path, capsys=capsys)
    assert code == 0
    warnings = [line for line in out.splitlines() if "warning:" in line and "allow_ips" in line]
    assert len(warnings) == 2
    assert "10.0.0.0/8" in warnings[0] and "16 777 216 addresses" in warnings[0]
    assert "2001:db8::/32" in warnings[1]


# -- 4. a CA bundle that is some other file -------------------------------------------------


def certificate_pem(directory: Path) -> bytes:
    ca, _, _ = town_hall_pki(directory)
    return ca.read_bytes()


def private_key_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def config_with_ca(tmp_path: Path, value: str) -> Path:
    path = tmp_path / "totem.toml"
    path.write_text(f'[hub]\nurl = "https://hub.ville.fr"\nca_bundle = "{value}"\n')
    return path


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"root:$y$j9T$abc:19000:0:99999:7:::\n", "not a PEM file of certificates"),
        (
            b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
            "not a PEM",
        ),
        (None, "holds a private key"),
        (b"x" * (1024 * 1024 + 1), "larger than 1024 KB"),
    ],
    ids=["shadow-like", "fake-pem", "private-key", "huge"],
)
def test_a_ca_bundle_must_be_a_pem_file_of_certificates(tmp_path, content, complaint):
    bundle = tmp_path / "hub-ca.pem"
    bundle.write_bytes(
        content if content is not None else certificate_pem(tmp_path) + private_key_pem()
    )
    with pytest.raises(ConfigError) as error:
        load_config(config_with_ca(tmp_path, str(bundle)))
    assert (error.value.key, error.value.line) == ("hub.ca_bundle", 3)
    assert complaint in error.value.located("en")


def test_system_files_and_folders_are_not_ca_bundles(tmp_path):
    for value in ("/etc/shadow", "/etc/passwd", str(tmp_path)):
        with pytest.raises(ConfigError, match="hub.ca_bundle"):
            load_config(config_with_ca(tmp_path, value))


def test_a_bundle_on_totemcfg_is_found_beside_the_file_on_the_installers_pc(tmp_path):
    (tmp_path / "hub-ca.pem").write_bytes(certificate_pem(tmp_path) + certificate_pem(tmp_path))
    config = load_config(config_with_ca(tmp_path, "/run/totem/cfg/hub-ca.pem"))
    assert config.hub["ca_bundle"] == str(tmp_path / "hub-ca.pem")
    with pytest.raises(ConfigError, match="not found"):
        load_config(config_with_ca(tmp_path, "/run/totem/cfg/other.pem"))

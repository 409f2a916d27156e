"""A release from the hub to a totem's data partition, over the real API on loopback:
offered by the heartbeat, signed, downloaded with resume, and refused with a reason when
anything is wrong — before a byte is installed."""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess

import pytest
from hub_support import Kiosk, RunningHub, agent_login

from appliance.sync.client import HubClient
from appliance.update.agent import Updater
from demo.localhub import hub_command
from hub import agents, content, releases
from wire.protocol import load_public_key
from wire.release import COMPATIBLE

NEW = "0.1.0+500"


def make_bundle(tmp_path, release: str, compatible: str = COMPATIBLE):
    """A squashfs holding a manifest.raucm and a payload, the way a RAUC bundle starts (the
    hub reads only that; the signature is RAUC's business on the totem)."""
    if shutil.which("mksquashfs") is None:
        pytest.skip("mksquashfs is not installed (squashfs-tools)")
    source = tmp_path / f"bundle-{release}"
    source.mkdir()
    (source / "manifest.raucm").write_text(
        f"[update]\ncompatible={compatible}\nversion={release}\n[bundle]\nformat=verity\n"
    )
    (source / "root.ext4").write_bytes(os.urandom(3 * 1024 * 1024 + 123))
    path = tmp_path / f"totem-{release}-rpi4-arm64.raucb"
    subprocess.run(
        ["mksquashfs", str(source), str(path), "-quiet", "-no-progress", "-noappend"],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def bundle(tmp_path):
    return make_bundle(tmp_path, NEW)


class Totem:
    """The kiosk's side: its signed client and its updater on a data directory."""

    def __init__(self, hub: RunningHub, data_dir, kiosk_id="hall-01", running="0.1.0+400"):
        self.kiosk = Kiosk(hub, kiosk_id)
        assert self.kiosk.enrol().status_code == 201
        self.client = HubClient(hub.url, kiosk_id=kiosk_id, key=self.kiosk.key)
        key = load_public_key(content.content_public_key(hub.engine))
        self.updater = Updater(data_dir, key, running)
        self.statuses: list[int] = []

    def heartbeat(self) -> dict:
        return self.client.heartbeat({"version": self.updater.running, "checks": []})

    def fetch_bundle(self, version, offset):  # the real client, its answers noted
        status, chunks = self.client.fetch_bundle(version, offset)
        self.statuses.append(status)
        return status, chunks


def kiosks_page(hub):
    """(an agent's session, the agents' kiosks page as its text)."""
    agents.set_agent(hub.engine, "marie", "une phrase de passe longue")
    session, _ = agent_login(hub, "marie", "une phrase de passe longue")
    return session, html.unescape(session.get(f"{hub.url}/bornes", timeout=10).text)


def published(hub, bundle, tmp_path, **options) -> releases.Release:
    return releases.publish(hub.engine, bundle, tmp_path / "store", **options)


def test_an_offered_release_is_downloaded_whole_and_checked(hub, bundle, tmp_path):
    published(hub, bundle, tmp_path)
    totem = Totem(hub, tmp_path / "data")
    answer = totem.heartbeat()
    assert answer["release"]["manifest"]["version"] == NEW
    status = totem.updater.take(answer, totem)
    assert status["state"] == "downloaded", status
    assert open(status["bundle"], "rb").read() == bundle.read_bytes()
    assert totem.statuses == [200]
    # The next heartbeat tells the hub; the same offer does not download again.
    report = totem.updater.report()
    assert report["state"] == "downloaded" and report["running"] == "0.1.0+400"
    assert totem.updater.take(totem.heartbeat(), totem)["state"] == "downloaded"
    assert totem.statuses == [200]


def test_a_cut_download_resumes_where_it_stopped(hub, bundle, tmp_path):
    published(hub, bundle, tmp_path)
    totem = Totem(hub, tmp_path / "data")
    part = tmp_path / "data" / "update" / "bundles" / f"{NEW}.raucb.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(bundle.read_bytes()[: 1024 * 1024 + 7])  # what arrived before the cut
    status = totem.updater.take(totem.heartbeat(), totem)
    assert status["state"] == "downloaded"
    assert totem.statuses == [206]  # only the rest was asked for
    assert (
        hashlib.sha256(open(status["bundle"], "rb").read()).hexdigest()
        == hashlib.sha256(bundle.read_bytes()).hexdigest()
    )


def test_a_hub_that_lies_about_the_hash_costs_a_download_and_installs_nothing(
    hub, bundle, tmp_path
):
    release = published(hub, bundle, tmp_path)
    with open(release.path, "r+b") as stored:  # the store's copy changed behind the manifest
        stored.seek(1000)
        stored.write(b"\0" * 16)
    totem = Totem(hub, tmp_path / "data")
    status = totem.updater.take(totem.heartbeat(), totem)
    assert status["state"] == "failed" and "SHA-256" in status["reason"]
    assert not list((tmp_path / "data" / "update" / "bundles").iterdir())


def test_a_release_given_up_after_its_trial_restart_is_not_fetched_again(hub, bundle, tmp_path):
    published(hub, bundle, tmp_path)
    totem = Totem(hub, tmp_path / "data")
    totem.updater.take(totem.heartbeat(), totem)
    totem.updater.install(lambda _path: None)
    totem.updater.trial_not_started()  # came back on the old slot with no trial
    for _ in range(2):  # the hub still offers it at each heartbeat
        status = totem.updater.take(totem.heartbeat(), totem)
        assert status["state"] == "given-up" and "did not start on trial" in status["reason"]
    assert totem.statuses == [200]  # one download, not one per heartbeat
    totem.client.heartbeat({"version": "0.1.0+400", "update": totem.updater.report()})
    _, page = kiosks_page(hub)
    assert f"Mise à jour : version {NEW} abandonnée : release {NEW} did not start" in page


def test_forged_older_and_unoffered_releases_are_refused(hub, bundle, tmp_path):
    published(hub, bundle, tmp_path)
    totem = Totem(hub, tmp_path / "data")
    answer = totem.heartbeat()
    forged = json.loads(json.dumps(answer))
    forged["release"]["manifest"]["sha256"] = "0" * 64
    status = totem.updater.take(forged, totem)
    assert status["state"] == "refused" and "not signed" in status["reason"]
    newer_totem = Totem(hub, tmp_path / "data2", "annexe-02", running="0.1.0+600")
    assert "release" not in newer_totem.heartbeat()  # the hub offers nothing older
    status = newer_totem.updater.take(answer, newer_totem)  # a replayed offer
    assert status["state"] == "refused" and "not newer than 0.1.0+600" in status["reason"]
    assert totem.statuses == newer_totem.statuses == []  # nothing was downloaded


def test_a_release_for_other_kiosks_is_neither_offered_nor_served(hub, bundle, tmp_path):
    published(hub, bundle, tmp_path, kiosks=["annexe-02"])
    totem = Totem(hub, tmp_path / "data")
    assert "release" not in totem.heartbeat()
    refused = totem.kiosk.send("GET", f"releases/{NEW}/bundle")
    assert refused.status_code == 404


def test_a_staged_rollout_reaches_its_share_and_raising_it_only_adds_kiosks():
    ids = [f"borne-{n:03d}" for n in range(400)]
    shares = {
        percent: {
            k
            for k in ids
            if releases.in_rollout(releases.Release(NEW, 10, "0" * 64, "/", None, percent), k)
        }
        for percent in (0, 10, 50, 100)
    }
    assert not shares[0] and shares[100] == set(ids)
    assert 20 < len(shares[10]) < 60 and 160 < len(shares[50]) < 240
    assert shares[10] <= shares[50] <= shares[100]


def test_the_heartbeat_report_reaches_the_kiosks_page_data(hub, bundle, tmp_path):
    published(hub, bundle, tmp_path)
    totem = Totem(hub, tmp_path / "data")
    totem.updater.take(totem.heartbeat(), totem)
    totem.client.heartbeat({"version": "0.1.0+400", "update": totem.updater.report()})
    report = releases.update_reports(hub.engine)["hall-01"]
    assert report["state"] == "downloaded" and report["offered"] == NEW
    session, page = kiosks_page(hub)
    assert f"version {NEW} téléchargée, en attente d'installation" in page
    assert "version 0.1.0+400" in page  # what it runs
    refusing = Totem(hub, tmp_path / "data2", "annexe-02", running="0.1.0+400")
    forged = totem.heartbeat()
    forged["release"]["signature"] = forged["release"]["signature"][::-1]
    refusing.updater.take(forged, refusing)
    refusing.client.heartbeat({"version": "0.1.0+400", "update": refusing.updater.report()})
    page = html.unescape(session.get(f"{hub.url}/bornes", timeout=10).text)
    assert f"Mise à jour : version {NEW} refusée : the release manifest is not signed" in page


def test_release_publish_on_the_command_line(hub, bundle, tmp_path):
    db = str(hub.engine.url)
    store = tmp_path / "store"

    def run(*args):
        return subprocess.run(
            [*hub_command(), "release", *args, "--db", db], capture_output=True, text=True
        )

    done = run("publish", "--bundle", str(bundle), "--store", str(store), "--percent", "25")
    assert done.returncode == 0, done.stderr
    assert f"release {NEW}" in done.stdout and "25 % of the kiosks" in done.stdout
    again = run("publish", "--bundle", str(bundle), "--store", str(store))
    assert again.returncode == 1 and "already published" in again.stderr
    odd = tmp_path / "update.bin"
    odd.write_bytes(b"x" * 10_000)
    refused = run("publish", "--bundle", str(odd), "--store", str(store))
    assert refused.returncode == 1 and "not a RAUC bundle" in refused.stderr
    assert refused.stderr.count("\n") == 1
    other = make_bundle(tmp_path, "0.1.0+501", compatible="someone-else")
    refused = run("publish", "--bundle", str(other), "--store", str(store))
    assert "is for 'someone-else'" in refused.stderr
    renamed = tmp_path / "totem-9.9.9+9-rpi4-arm64.raucb"  # a name says nothing
    shutil.copy(make_bundle(tmp_path, "0.1.0+502"), renamed)
    done = run("publish", "--bundle", str(renamed), "--store", str(store))
    assert "release 0.1.0+502 " in done.stdout
    listed = run("list")
    assert listed.stdout.startswith(f"{NEW}\t{bundle.stat().st_size}\t")

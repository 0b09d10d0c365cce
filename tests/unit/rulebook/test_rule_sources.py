"""Every rule of the documents pack cites one of the five documents, by the title the
principles list gives it, and a document that states the principles it encodes."""

from __future__ import annotations

from acupoints import Engine
from acupoints.base.principles import DOCUMENTS, PRINCIPLES

RULES = list(Engine.default().rulebook)


def test_documents_pack_cites_the_documents_by_their_titles() -> None:
    documents = [r for r in RULES if r.pack == "documents"]
    assert documents
    for r in documents:
        assert r.source_key in DOCUMENTS, r.id
        assert r.source == DOCUMENTS[r.source_key], r.id


def test_each_documents_rule_cites_a_document_that_states_its_principles() -> None:
    for r in (r for r in RULES if r.pack == "documents"):
        ids = set(r.rule.principles)
        for part in (*r.rule.plan, *r.rule.advice):
            ids |= set(part.principles)
        assert ids, f"{r.id} encodes no principle"
        assert any(r.source_key in PRINCIPLES[pid][1] for pid in ids), (r.id, r.source_key, sorted(ids))


def test_other_packs_cite_a_public_source_not_the_documents() -> None:
    for r in (r for r in RULES if r.pack != "documents"):
        assert r.source_key not in DOCUMENTS and len(r.source) > 20, r.id

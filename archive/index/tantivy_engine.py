"""The compiled full-text engine: tantivy, one token per character.

Why one token per character: a phrase of the query's characters then matches exactly the
documents whose text contains the string — punctuation, digits and Latin letters included —
and positions stay right (tantivy's ngram tokenizer puts every gram at position 0, so its
phrases are wrong). Document ids live in a fast field: collecting every match reads a column,
not the stored documents. Snippets are made from the catalogue's text, as for whoosh.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable

import tantivy

from archive.faults import crash_point
from archive.index import query as q
from archive.index.backend import EngineHit, IndexedText
from archive.index.format_file import format_matches, write_format
from archive.searchtext import SEARCH_TEXT_VERSION, searchable

INDEX_FORMAT = {"engine": "tantivy", "tokenizer": "char-lowercase", "schema": 1, "text": SEARCH_TEXT_VERSION}
_TOKENIZER = "dossier_char"
TITLE_BOOST = 2.0
WRITER_HEAP = 128_000_000          # bytes, shared by the writer's threads


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"(?s).")).filter(tantivy.Filter.lowercase()).build()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name=_TOKENIZER, index_option="position")
    builder.add_text_field("content", tokenizer_name=_TOKENIZER, index_option="position")
    return builder.build()


class TantivyBatch:
    """Documents added to one tantivy writer; the same interface as whoosh's IndexBatch. A commit
    is quick (compiled, multithreaded), so it runs at once; ids are handed back once searchable."""

    def __init__(self, backend: TantivyBackend) -> None:
        self._backend = backend
        self._writer = None
        self.pending: list[int] = []
        self._done: list[int] = []

    def add(self, doc_id: int, title, content) -> None:
        if self._writer is None:
            self._writer = self._backend._writer()
        self._writer.delete_documents_by_query(self._backend._id_query(doc_id))   # replace an older version
        doc = tantivy.Document()
        doc.add_unsigned("id", doc_id)
        doc.add_text("title", searchable(str(title)))
        doc.add_text("content", searchable(str(content)))
        self._writer.add_document(doc)
        self.pending.append(doc_id)
        crash_point("index-writing")

    def start_commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
            self._backend._changed()
        self._done += self.pending
        self.pending = []

    def finished(self) -> list[int]:
        done, self._done = self._done, []
        return done

    def commit(self) -> list[int]:
        self.start_commit()
        return self.finished()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None
        self.pending, self._done = [], []

    def __enter__(self) -> TantivyBatch:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


class TantivyBackend:
    analyzer = None                 # ingest's workers send the text itself: tantivy analyses it

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._index: tantivy.Index | None = None
        self._searcher: tantivy.Searcher | None = None

    # -- opening -------------------------------------------------------------------------
    def _format_ok(self) -> bool:
        return format_matches(self.folder, INDEX_FORMAT)

    def needs_rebuild(self) -> bool:
        if not self._format_ok():
            return True
        try:
            self._open()
        except (ValueError, OSError):      # tantivy reports damaged files as either
            return True
        return False

    def _open(self) -> tantivy.Index:
        if self._index is None:
            index = tantivy.Index.open(str(self.folder))
            index.register_tokenizer(_TOKENIZER, _analyzer())
            self._index = index
        return self._index

    def _create(self) -> None:
        self.close()
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        index = tantivy.Index(_schema(), path=str(self.folder))
        index.register_tokenizer(_TOKENIZER, _analyzer())
        self._index = index
        write_format(self.folder, INDEX_FORMAT)

    def ensure(self) -> None:
        if self.needs_rebuild():
            self._create()

    def _writer(self):
        self.ensure()
        return self._open().writer(WRITER_HEAP, 0)

    def _id_query(self, doc_id: int) -> tantivy.Query:
        # Not delete_documents_by_term: given a Python int it makes an i64 term, which never
        # matches the u64 field, and nothing is deleted.
        return tantivy.Query.term_query(self._open().schema, "id", int(doc_id))

    def _changed(self) -> None:
        self._open().reload()
        self._searcher = None

    # -- writing -------------------------------------------------------------------------
    def batch(self) -> TantivyBatch:
        self.ensure()
        return TantivyBatch(self)

    def add(self, docs: Iterable[IndexedText]) -> int:
        with self.batch() as batch:
            for doc in docs:
                batch.add(doc.doc_id, doc.title, doc.text)
            return len(batch.commit())

    def delete(self, doc_ids: Iterable[int]) -> None:
        writer = self._writer()
        for doc_id in doc_ids:
            writer.delete_documents_by_query(self._id_query(doc_id))
        writer.commit()
        writer.wait_merging_threads()
        self._changed()

    def rebuild(self, docs: Iterable[IndexedText]) -> int:
        self._create()
        return self.add(docs)

    def maintain(self) -> bool:
        """Nothing to do: tantivy's merge policy merges segments after each commit."""
        return False

    def close(self) -> None:
        self._searcher = None
        self._index = None

    # -- reading -------------------------------------------------------------------------
    def _current_searcher(self) -> tantivy.Searcher:
        if self._searcher is None:
            index = self._open()
            index.reload()                 # a long-lived process sees other processes' commits
            self._searcher = index.searcher()
        return self._searcher

    def _matches(self, query: tantivy.Query) -> list[tuple[float, int]]:
        searcher = self._current_searcher()
        if searcher.num_docs == 0:
            return []
        hits = searcher.search(query, limit=searcher.num_docs, count=False).hits
        ids = searcher.fast_field_values("id", [address for _score, address in hits])
        return [(float(score), int(doc_id)) for (score, _address), doc_id in zip(hits, ids)]

    def doc_ids(self) -> set[int]:
        if self.needs_rebuild():
            return set()
        self._searcher = None
        return {doc_id for _score, doc_id in self._matches(tantivy.Query.all_query())}

    def search(self, query: str) -> list[EngineHit]:
        self.ensure()
        tree = q.parse(query)
        if tree is None:
            return []
        self._searcher = None              # each search sees the latest commit
        matches = self._matches(self._query(tree))
        matches.sort(key=lambda m: (-m[0], m[1]))
        return [EngineHit(doc_id, score) for score, doc_id in matches]

    def _query(self, node: q.Node) -> tantivy.Query:
        schema = self._open().schema
        if isinstance(node, q.Literal):
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.boost_query(_phrase(schema, "title", node.text), TITLE_BOOST)),
                (tantivy.Occur.Should, _phrase(schema, "content", node.text))])
        if isinstance(node, q.Everything):
            return tantivy.Query.all_query()
        if isinstance(node, q.Any):
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._query(p)) for p in node.parts])
        if isinstance(node, q.All):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.MustNot, self._query(p.part)) if isinstance(p, q.Not)
                 else (tantivy.Occur.Must, self._query(p)) for p in node.parts])
        if isinstance(node, q.Not):
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.all_query()),
                                                (tantivy.Occur.MustNot, self._query(node.part))])
        raise TypeError(f"unknown query node {node!r}")


def _phrase(schema: tantivy.Schema, field: str, text: str) -> tantivy.Query:
    chars = list(text.lower())
    if len(chars) == 1:
        return tantivy.Query.term_query(schema, field, chars[0])
    return tantivy.Query.phrase_query(schema, field, chars)

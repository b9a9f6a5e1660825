"""The full-text engine: whoosh with the CJK bigram analyzer."""
from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index
from whoosh import qparser, query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser.common import QueryParserError

from archive.index.cjk import ANALYZER_VERSION, cjk_analyzer, is_open_end
from archive.index.format_file import format_matches, unreadable, write_format
from archive.searchtext import SEARCH_TEXT_VERSION
from common.errors import SearchError
from archive.index.exact_phrase import use_exact_phrases
from archive.index.batch import IndexBatch
from archive.index.backend import EngineHit, IndexedText
from common.messages import _

INDEX_FORMAT = {"engine": "whoosh", "analyzer": ANALYZER_VERSION, "schema": 2, "text": SEARCH_TEXT_VERSION}
MAX_SEGMENTS = 8          # more than this after an ingest run: merge them (about 1 s per 1,000 documents)


@dataclass(frozen=True)
class Postings:
    """A field's index entries (term, frequency, weight, encoded positions), computed ahead of
    time: the extraction workers analyse the text they read, so the process that writes the
    index only files the postings (see `analyze`)."""

    items: tuple


class CJKText(TEXT):
    """TEXT that also takes `Postings` analysed elsewhere with the same analyzer and format."""

    def index(self, value, **kwargs):
        if isinstance(value, Postings):
            return iter(value.items)
        return super().index(value, **kwargs)


def _schema() -> Schema:
    analyzer = cjk_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=CJKText(analyzer=analyzer, phrase=True, multitoken_query="phrase", field_boost=2.0),
        content=CJKText(analyzer=analyzer, phrase=True, multitoken_query="phrase"),
    )


@functools.cache
def _analysis_schema() -> Schema:
    return _schema()


def analyze(title: str, text: str) -> tuple[Postings, Postings]:
    """The postings of a document's title and text, exactly as the index writer would make them."""
    schema = _analysis_schema()
    return Postings(tuple(schema["title"].index(title))), Postings(tuple(schema["content"].index(text)))


class WhooshBackend:
    analyzer = staticmethod(analyze)     # ingest's workers analyse the text into Postings ahead

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ix = None
        self._searcher = None
        self._query_parser = None

    # -- opening -------------------------------------------------------------------------
    def _unreadable(self, exc: OSError) -> SearchError:
        return unreadable(self.folder, exc)

    def _format_ok(self) -> bool:
        return format_matches(self.folder, INDEX_FORMAT)

    def needs_rebuild(self) -> bool:
        """True when the index is missing, of another format, or its files are damaged. An
        error of the machine (permissions, I/O) is raised instead: rebuilding would delete an
        index that is fine."""
        if not self._format_ok() or not whoosh_index.exists_in(str(self.folder)):
            return True
        try:
            self._open()
        except FileNotFoundError:
            return True                   # a segment file is gone: damaged
        except OSError as exc:
            raise self._unreadable(exc) from exc
        except Exception:  # whoosh's many errors on damaged files: rebuild from the catalogue
            return True
        return False

    def _open(self):
        if self._ix is None:
            self._ix = whoosh_index.open_dir(str(self.folder))
        return self._ix

    def _create(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        self._ix = whoosh_index.create_in(str(self.folder), _schema())
        write_format(self.folder, INDEX_FORMAT)

    def ensure(self) -> None:
        if self.needs_rebuild():
            self._create()

    # -- writing -------------------------------------------------------------------------
    def add(self, docs: Iterable[IndexedText]) -> int:
        with self.batch() as batch:
            for doc in docs:
                batch.add(doc.doc_id, doc.title, doc.text)
            return len(batch.commit())

    def batch(self) -> IndexBatch:
        """A writer kept open across many documents: one commit per batch, not per document."""
        self.ensure()
        return IndexBatch(self._open)

    def delete(self, doc_ids: Iterable[int]) -> None:
        self.ensure()
        writer = self._open().writer()
        for doc_id in doc_ids:
            writer.delete_by_term("id", str(doc_id))
        writer.commit()

    def rebuild(self, docs: Iterable[IndexedText]) -> int:
        self.close()
        self._create()
        return self.add(docs)

    def maintain(self) -> bool:
        """Merge the segments into one when they pile up (each ingest run adds one, and every
        search reads them all); returns whether it merged."""
        if self.needs_rebuild() or len(self._open()._segments()) <= MAX_SEGMENTS:
            return False
        self.close()
        self._open().optimize()
        self.close()
        return True

    def close(self) -> None:
        self._query_parser = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def _current_searcher(self):
        """One searcher for many queries (opening the segment files costs more than a search);
        refreshed when a commit has changed the index since."""
        if self._searcher is None:
            self._searcher = self._open().searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    # -- reading -------------------------------------------------------------------------
    def doc_ids(self) -> set[int]:
        if self.needs_rebuild():
            return set()
        return {int(fields["id"]) for fields in self._current_searcher().all_stored_fields()}

    def _parser(self) -> qparser.QueryParser:
        if self._query_parser is None:
            parser = qparser.MultifieldParser(["title", "content"], schema=self._open().schema,
                                              group=qparser.AndGroup)
            parser.remove_plugin_class(qparser.WildcardPlugin)  # * and ? are ordinary characters here
            parser.remove_plugin_class(qparser.FieldsPlugin)    # so are colons (时间:2022)
            self._query_parser = parser
        return self._query_parser

    def parse(self, text: str) -> wq.Query:
        try:
            parsed = self._parser().parse(text)
        except QueryParserError as exc:
            raise SearchError(_("无法理解检索式“{query}”（{exc}）：检查括号和引号是否成对").format(query=text, exc=exc)) from exc
        except (IndexError, AttributeError, TypeError) as exc:   # whoosh's parser trips on some operator runs (NOT NOT x)
            raise SearchError(_("无法理解检索式“{query}”：检查 AND、OR、NOT 是否连用，括号和引号是否成对").format(query=text)) from exc
        return use_exact_phrases(_widen_single_characters(parsed))

    def search(self, query: str) -> list[EngineHit]:
        self.ensure()
        parsed = self.parse(query)
        if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
            return []
        results = self._current_searcher().search(parsed, limit=None)
        return [EngineHit(int(hit["id"]), float(hit.score)) for hit in results]


def _widen_single_characters(node: wq.Query) -> wq.Query:
    """A query's final lone Chinese character matches any token it starts.

    A phrase ending so (2022年) cannot be matched exactly on bigrams: it becomes the phrase of
    the rest AND the prefix, and the caller checks the literal text of the hits (archive.search).
    """
    if isinstance(node, wq.Term) and is_open_end(node.text):
        return wq.Prefix(node.fieldname, node.text[0], boost=node.boost)
    if isinstance(node, wq.Phrase) and node.words and is_open_end(node.words[-1]):
        return wq.And([wq.Phrase(node.fieldname, node.words[:-1]) if len(node.words) > 2
                       else wq.Term(node.fieldname, node.words[0]),
                       wq.Prefix(node.fieldname, node.words[-1][0])])
    if node.is_leaf():
        return node
    return node.apply(_widen_single_characters)

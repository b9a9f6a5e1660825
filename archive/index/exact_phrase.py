"""An exact phrase query for whoosh that finds its documents with block-wise leapfrogging.

whoosh's own Phrase builds span objects for every candidate document, and its intersection
steps through postings one call at a time. Here the bigrams' posting lists are intersected by
leapfrogging: each list jumps to the next candidate with a bisection inside the current block
(whoosh-reloaded 2.7.5's W3 posting blocks, pinned in pyproject), then "word i at position
p + i" is tested with set lookups. The matches and their scores (the sum of the words' BM25
scores, as whoosh's intersection gives) are computed at once per segment: searches always ask
for every match.
"""
from __future__ import annotations

from bisect import bisect_left

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher, ListMatcher, NullMatcher


def _advance(leaf, target: int) -> bool:
    """Move a posting list to its first document >= target; False when it has none."""
    if not leaf.is_active():
        return False
    if leaf.id() >= target:
        return True
    if target > leaf.block_max_id():
        leaf._skip_to_block(lambda: target > leaf.block_max_id())   # on the blocks' maximum ids
        if not leaf.is_active():
            return False
        leaf.id()                             # reads the new block's ids
    leaf._i = bisect_left(leaf._ids, target, leaf._i)
    return True


def _in_order(leaves) -> bool:
    starts = leaves[0].value_as("positions")
    rest = [set(leaf.value_as("positions")) for leaf in leaves[1:]]
    return any(all(p + i in positions for i, positions in enumerate(rest, start=1)) for p in starts)


def _phrase_matches(leaves) -> tuple[list[int], list[float]]:
    """Documents holding every word at consecutive positions, with the sum of the words' scores."""
    ids, scores = [], []
    target = max(leaf.id() for leaf in leaves)
    while True:
        for leaf in leaves:
            if not _advance(leaf, target):
                return ids, scores
            if leaf.id() > target:
                target = leaf.id()
                break
        else:
            if _in_order(leaves):
                ids.append(target)
                scores.append(sum(leaf.score() for leaf in leaves))
            target += 1


class ExactPhrase(wq.Phrase):
    """Same documents as Phrase(slop=1), found faster."""

    def matcher(self, searcher, context=None):
        if len(self.words) < 2:
            return super().matcher(searcher, context)
        leaves = []
        for word in self.words:
            leaf = wq.Term(self.fieldname, word).matcher(searcher, context)
            if not leaf.is_active():
                return NullMatcher()
            if isinstance(leaf, FilterMatcher):   # the segment has deleted documents: dropped below
                leaf = leaf.child
            if not isinstance(leaf, W3LeafMatcher):   # another codec: whoosh's own phrase matcher
                return super().matcher(searcher, context)
            leaves.append(leaf)
        ids, scores = _phrase_matches(leaves)
        reader = searcher.reader()
        if reader.has_deletions():
            kept = [n for n, doc in enumerate(ids) if not reader.is_deleted(doc)]
            ids, scores = [ids[n] for n in kept], [scores[n] for n in kept]
        if not ids:
            return NullMatcher()
        return ListMatcher(ids, weights=[s * self.boost for s in scores])


def use_exact_phrases(node: wq.Query) -> wq.Query:
    """Replace every whoosh Phrase in a parsed query with ExactPhrase."""
    if isinstance(node, wq.Phrase) and not isinstance(node, ExactPhrase):
        return ExactPhrase(node.fieldname, node.words, slop=1, boost=node.boost)
    if node.is_leaf():
        return node
    return node.apply(use_exact_phrases)
